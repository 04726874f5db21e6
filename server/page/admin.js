/* global document, window, sessionStorage, fetch, URL, URLSearchParams, setInterval, clearInterval, confirm */
// The organisers' page (issue 6). Plain DOM, no framework, no inline script (the page's CSP is
// script-src 'self'). Every value from the server goes in through textContent, never as HTML.
'use strict';

(() => {
  const TOKEN_KEY = 'lanyard.adminToken';
  const EVENT_KEY = 'lanyard.eventId';
  const REFRESH_MS = 3000;

  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem(TOKEN_KEY) || '';
  let eventId = sessionStorage.getItem(EVENT_KEY) || '';
  let timer = null;
  let inFlight = false;
  let ticks = 0;

  class HttpError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, init = {}) {
    const headers = { authorization: `Bearer ${token}`, ...(init.headers || {}) };
    const response = await fetch(path, { ...init, headers, cache: 'no-store' });
    if (!response.ok) {
      let message = `${response.status} ${response.statusText}`;
      try {
        const body = await response.json();
        if (body && body.error && body.error.message) message = body.error.message;
      } catch {
        // not JSON
      }
      throw new HttpError(response.status, message);
    }
    return response;
  }
  const apiJson = async (path, init) => (await api(path, init)).json();

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'className') node.className = value;
      else if (key === 'text') node.textContent = String(value);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
    }
    return node;
  }

  const fmtTime = (iso) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? '' : d.toLocaleString();
  };
  const ago = (ms) => {
    if (!ms) return 'never';
    const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
    if (s < 60) return `${s} s ago`;
    if (s < 3600) return `${Math.floor(s / 60)} min ago`;
    if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
    return new Date(ms).toLocaleString();
  };

  function setStatus(text, offline) {
    const status = $('status');
    status.textContent = text;
    status.classList.toggle('offline', Boolean(offline));
  }

  function showLogin(message) {
    if (timer !== null) clearInterval(timer);
    timer = null;
    token = '';
    sessionStorage.removeItem(TOKEN_KEY);
    $('login').hidden = false;
    $('app').hidden = true;
    $('sign-out').hidden = true;
    $('login-error').textContent = message || '';
    setStatus('', false);
    $('token').focus();
  }

  function onFailure(error) {
    if (error instanceof HttpError && error.status === 401) {
      showLogin('The admin token was not accepted.');
      return;
    }
    setStatus('Server unreachable — retrying', true);
    $('app-error').textContent = error instanceof Error ? error.message : String(error);
  }

  async function loadEvents() {
    const { events } = await apiJson('/v1/admin/events');
    const select = $('event');
    select.replaceChildren(...events.map((e) => el('option', { value: e.id, text: `${e.name} (${e.id})` })));
    $('empty').hidden = events.length > 0;
    $('dashboard').hidden = events.length === 0;
    if (events.length === 0) {
      eventId = '';
      return;
    }
    if (!events.some((e) => e.id === eventId)) eventId = events[0].id;
    select.value = eventId;
    sessionStorage.setItem(EVENT_KEY, eventId);
  }

  function renderForums(forums) {
    $('forums').replaceChildren(
      ...forums.map((f) =>
        el(
          'tr',
          { 'data-testid': 'forum-row', 'data-forum-id': f.forumId, className: f.assigned >= f.capacity ? 'full' : '' },
          el('td', { text: f.name }),
          el('td', { className: 'num count', 'data-testid': 'forum-assigned', text: f.assigned }),
          el('td', { className: 'num', 'data-testid': 'forum-arrived', text: f.arrived }),
          el('td', { className: 'num', 'data-testid': 'forum-inside', text: f.inside }),
          el('td', { className: 'num', text: f.capacity }),
        ),
      ),
    );
    const exportForum = $('export-forum');
    const chosen = exportForum.value;
    exportForum.replaceChildren(
      el('option', { value: '', text: 'All guests' }),
      ...forums.map((f) => el('option', { value: f.forumId, text: `Forum: ${f.name}` })),
    );
    exportForum.value = forums.some((f) => f.forumId === chosen) ? chosen : '';
  }

  function renderDoors(doors) {
    if (doors.length === 0) {
      $('doors').replaceChildren(el('tr', {}, el('td', { colspan: 3, className: 'muted', text: 'No check-ins yet.' })));
      return;
    }
    $('doors').replaceChildren(
      ...doors.map((d) =>
        el(
          'tr',
          { 'data-testid': 'door-row', 'data-door': d.door, 'data-device-id': d.deviceId },
          el('td', { text: d.door || '—' }),
          el('td', { className: 'mono small', text: d.deviceName ? `${d.deviceName} · ${d.deviceId}` : d.deviceId }),
          el('td', { className: 'num', 'data-testid': 'door-check-ins', text: d.checkIns }),
        ),
      ),
    );
  }

  const emptyItem = (text) => el('li', { className: 'muted', text });

  function renderDuplicates(duplicates) {
    $('duplicates').replaceChildren(
      ...(duplicates.length === 0
        ? [emptyItem('None.')]
        : duplicates.map((d) =>
            el(
              'li',
              { 'data-testid': 'duplicate', 'data-guest-id': d.guestId },
              el('b', { text: d.name }),
              d.organization ? el('span', { className: 'muted', text: ` · ${d.organization}` }) : null,
              el(
                'div',
                { className: 'sub' },
                d.checkins
                  .map((c, i) => `${i === 0 ? 'arrived' : 'again'} ${c.door || c.deviceId} ${fmtTime(c.at)}`)
                  .join(' · '),
              ),
            ),
          )),
    );
  }

  function renderConflicts(conflicts, forums) {
    const forumName = (id) => (forums.find((f) => f.forumId === id) || { name: id }).name;
    $('conflicts').replaceChildren(
      ...(conflicts.length === 0
        ? [emptyItem('None.')]
        : conflicts.map((c) =>
            el(
              'li',
              { 'data-testid': 'forum-conflict', 'data-guest-id': c.guestId },
              el('b', { text: c.name }),
              el(
                'div',
                { className: 'sub' },
                `kept ${forumName(c.winner.forumId)} (${c.winner.deviceId}, ${fmtTime(c.winner.at)}); lost: ` +
                  c.losers.map((l) => `${forumName(l.forumId)} (${l.deviceId}, ${fmtTime(l.at)})`).join(', '),
              ),
            ),
          )),
    );
  }

  function renderAlerts(alerts) {
    $('alerts').replaceChildren(
      ...(alerts.length === 0
        ? [emptyItem('None.')]
        : alerts.map((a) =>
            el(
              'li',
              { 'data-testid': 'alert' },
              el('b', { text: a.kind }),
              el('span', { className: 'muted', text: ` · ${a.deviceId} · ${fmtTime(a.at)}` }),
              el('div', { className: 'sub mono', text: `${a.factId} ${JSON.stringify(a.detail)}` }),
            ),
          )),
    );
  }

  function renderDevices(devices) {
    if (devices.length === 0) {
      $('devices').replaceChildren(
        el('tr', {}, el('td', { colspan: 5, className: 'muted', text: 'No device paired.' })),
      );
      return;
    }
    $('devices').replaceChildren(
      ...devices.map((d) => {
        const stale = !d.revoked && (!d.lastSyncMs || Date.now() - d.lastSyncMs > 5 * 60_000);
        return el(
          'tr',
          { 'data-testid': 'device-row', 'data-device-id': d.id, className: d.revoked ? 'revoked' : '' },
          el('td', { text: d.name }),
          el('td', { className: 'mono small', text: d.id }),
          el('td', { className: stale ? 'stale' : '', 'data-testid': 'device-last-sync', text: ago(d.lastSyncMs) }),
          el('td', { className: 'num', text: d.ackedThrough }),
          el(
            'td',
            {},
            d.revoked
              ? el('span', { className: 'muted', text: 'revoked' })
              : el('button', {
                  type: 'button',
                  className: 'danger',
                  'data-testid': 'revoke',
                  text: 'Revoke',
                  onclick: () => revoke(d),
                }),
          ),
        );
      }),
    );
  }

  function render(o) {
    const stat = (name, value) => {
      document.querySelector(`[data-testid="stat-${name}"]`).textContent = String(value);
    };
    stat('checked-in', o.stats.checkedIn);
    stat('guests', o.stats.guests);
    stat('check-ins', o.stats.checkIns);
    stat('duplicates', o.stats.duplicates);
    stat('voided', o.stats.voided);
    stat('devices', o.stats.devices);
    stat('events', o.stats.facts);
    renderForums(o.forums);
    renderDoors(o.doors);
    renderDuplicates(o.duplicates);
    renderConflicts(o.forumConflicts, o.forums);
    renderAlerts(o.alerts);
    renderDevices(o.devices);
    $('updated').textContent = new Date(o.generatedAt).toLocaleTimeString();
  }

  async function refresh() {
    if (inFlight || token === '' || eventId === '') return;
    inFlight = true;
    try {
      // Every half minute, pick up events published meanwhile (not while the organiser is choosing).
      ticks += 1;
      if (ticks % 10 === 0 && document.activeElement !== $('event')) await loadEvents();
      if (eventId === '') return;
      const overview = await apiJson(`/v1/admin/events/${encodeURIComponent(eventId)}/overview`);
      render(overview);
      $('app-error').textContent = '';
      setStatus('Live', false);
    } catch (error) {
      onFailure(error);
    } finally {
      inFlight = false;
    }
  }

  async function revoke(device) {
    if (!confirm(`Revoke ${device.name} (${device.id})? It stops syncing at once and must be paired again.`)) return;
    try {
      await api(`/v1/admin/devices/${encodeURIComponent(device.id)}/revoke`, { method: 'POST' });
      await refresh();
    } catch (error) {
      onFailure(error);
    }
  }

  async function newPairingCode(event) {
    event.preventDefault();
    const name = $('pairing-name').value.trim();
    if (name === '' || eventId === '') return;
    try {
      const created = await apiJson(`/v1/admin/events/${encodeURIComponent(eventId)}/pairing-codes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      const { svg } = await apiJson(`/v1/admin/qr?${new URLSearchParams({ text: created.qr })}`);
      $('pairing-code').textContent = created.code.replace(/(\d{4})(?=\d)/g, '$1 ');
      $('pairing-for').textContent = name;
      $('pairing-expires').textContent = fmtTime(created.expiresAt);
      $('pairing-text').textContent = created.qr;
      $('pairing-qr').src = svg;
      $('pairing').hidden = false;
      $('pairing-name').value = '';
    } catch (error) {
      onFailure(error);
    }
  }

  async function download(format) {
    if (eventId === '') return;
    const params = new URLSearchParams({ format });
    const forum = $('export-forum').value;
    if (forum) params.set('forum', forum);
    try {
      const response = await api(`/v1/admin/events/${encodeURIComponent(eventId)}/export?${params}`);
      const disposition = response.headers.get('content-disposition') || '';
      const match = /filename="([^"]+)"/.exec(disposition);
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const a = el('a', { href: url, download: match ? match[1] : `attendance.${format}` });
      document.body.append(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      onFailure(error);
    }
  }

  async function start() {
    $('login').hidden = true;
    $('app').hidden = false;
    $('sign-out').hidden = false;
    $('login-error').textContent = '';
    try {
      await loadEvents();
    } catch (error) {
      onFailure(error);
      return;
    }
    await refresh();
    if (timer !== null) clearInterval(timer);
    timer = setInterval(refresh, REFRESH_MS);
  }

  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    token = $('token').value.trim();
    $('token').value = '';
    if (token === '') return;
    sessionStorage.setItem(TOKEN_KEY, token);
    void start();
  });
  $('sign-out').addEventListener('click', () => showLogin(''));
  $('event').addEventListener('change', () => {
    eventId = $('event').value;
    sessionStorage.setItem(EVENT_KEY, eventId);
    $('pairing').hidden = true;
    void refresh();
  });
  $('pairing-form').addEventListener('submit', newPairingCode);
  $('export-csv').addEventListener('click', () => void download('csv'));
  $('export-xlsx').addEventListener('click', () => void download('xlsx'));

  if (token !== '') void start();
  else showLogin('');
})();
