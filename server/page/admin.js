/* global document, window, sessionStorage, fetch, URL, URLSearchParams, setInterval, clearInterval, confirm */
// The organisers' page. Plain DOM, no framework, no inline script (the page's CSP is
// script-src 'self'). Every value from the server goes in through textContent, never as HTML. Strings
// come from /admin-strings.js (中文, English, Deutsch), charts from /charts.js.
'use strict';

(() => {
  const TOKEN_KEY = 'lanyard.adminToken';
  const EVENT_KEY = 'lanyard.eventId';
  const LANG_KEY = 'lanyard.lang';
  const REFRESH_MS = 3000;
  const STALE_MS = 5 * 60_000;
  const STRINGS = globalThis.LANYARD_PAGE_STRINGS;
  const Charts = globalThis.LanyardCharts;

  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem(TOKEN_KEY) || '';
  let eventId = sessionStorage.getItem(EVENT_KEY) || '';
  let lang = sessionStorage.getItem(LANG_KEY) || document.documentElement.lang || 'en';
  if (!STRINGS[lang]) lang = 'en';
  let timer = null;
  let inFlight = false;
  let ticks = 0;
  let events = [];
  let last = null; // the last overview, re-rendered when the language changes
  let lastTimeline = null;
  /** The guest whose history is open, redrawn in the new language on a switch. */
  let shownGuest = '';
  let timeZone = 'UTC';
  /** Server clock minus ours, so "ago" counts from the server's time and keeps ticking offline. */
  let clockOffsetMs = 0;
  const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  const t = (key, params) => {
    const raw = (STRINGS[lang] && STRINGS[lang][key]) || STRINGS.en[key] || key;
    return raw.replace(/\{(\w+)\}/g, (_, name) => (params && name in params ? String(params[name]) : `{${name}}`));
  };
  const nameIn = (names) => {
    if (!names) return '';
    const key = lang === 'zh-CN' ? 'zh' : lang;
    return names[key] || names.en || names.zh || names.de || '';
  };

  class HttpError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function api(path, init = {}) {
    const headers = { authorization: `Bearer ${token}`, ...(init.headers || {}) };
    const response = await fetch(path, { ...init, headers, cache: 'no-store' });
    if (!response.ok) {
      let code = 'http_error';
      let message = `${response.status}`;
      try {
        const body = await response.json();
        if (body && body.error) {
          code = body.error.code || code;
          message = body.error.message || message;
        }
      } catch {
        // not JSON
      }
      throw new HttpError(response.status, code, message);
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

  // Every time in the event's zone; the zone's name added when the reader's browser is in another one.
  const format = (ms, withDate) => {
    if (!ms) return '';
    const options = { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    if (withDate) Object.assign(options, { month: 'short', day: 'numeric' });
    if (timeZone !== viewerZone) options.timeZoneName = 'short';
    return new Intl.DateTimeFormat(lang, options).format(new Date(ms));
  };
  const fmtTime = (ms) => format(ms, false);
  const fmtDateTime = (ms) => format(ms, true);
  const shortTime = (ms) =>
    new Intl.DateTimeFormat(lang, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
      new Date(ms),
    );
  const ago = (ms) => {
    if (!ms) return t('never');
    const s = Math.max(0, Math.round((Date.now() + clockOffsetMs - ms) / 1000));
    if (s < 60) return t('agoSec', { n: s });
    if (s < 3600) return t('agoMin', { n: Math.floor(s / 60) });
    if (s < 86400) return t('agoHour', { n: Math.floor(s / 3600) });
    return fmtDateTime(ms);
  };
  /** A relative time that keeps ticking (tick() redraws it every second, online or not). */
  const agoCell = (ms, attrs = {}) => el('td', { ...attrs, 'data-ago': ms || 0, text: ago(ms) });
  function tick() {
    for (const node of document.querySelectorAll('[data-ago]')) {
      node.textContent = ago(Number(node.getAttribute('data-ago')));
    }
  }

  /** The status by its string key, so a language switch re-translates it ('' = none). */
  let statusKey = '';
  function setStatus(key, offline) {
    statusKey = key;
    const status = $('status');
    status.textContent = key === '' ? '' : t(key);
    status.classList.toggle('offline', Boolean(offline));
  }

  function applyStrings() {
    document.documentElement.lang = lang;
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.getAttribute('data-i18n'));
    $('guest-query').placeholder = t('guestPlaceholder');
    $('pairing-name').placeholder = t('pairingPlaceholder');
    $('lang').value = lang;
    $('status').textContent = statusKey === '' ? '' : t(statusKey);
    renderEvents();
    if (last !== null) render(last);
    if (lastTimeline !== null) renderCharts(lastTimeline);
    if (shownGuest !== '' && !$('guest-history').hidden) void showGuest(shownGuest);
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
      showLogin(t('tokenRefused'));
      return;
    }
    if (error instanceof HttpError) {
      $('app-error').textContent = t('serverError', { code: error.code });
      return;
    }
    // No answer at all (the browser says "Failed to fetch"): say it plainly and keep trying.
    setStatus('unreachable', true);
    $('app-error').textContent = '';
  }

  function renderEvents() {
    const select = $('event');
    select.replaceChildren(...events.map((e) => el('option', { value: e.id, text: nameIn(e.names) || e.name })));
    if (eventId) select.value = eventId;
  }

  async function loadEvents() {
    ({ events } = await apiJson('/v1/admin/events'));
    $('empty').hidden = events.length > 0;
    $('dashboard').hidden = events.length === 0;
    if (events.length === 0) {
      eventId = '';
      renderEvents();
      return;
    }
    if (!events.some((e) => e.id === eventId)) eventId = events[0].id;
    renderEvents();
    sessionStorage.setItem(EVENT_KEY, eventId);
  }

  const forumName = (o, id) => nameIn(o.forumNames && o.forumNames[id]) || id;

  function renderForums(o) {
    $('forums').replaceChildren(
      ...o.forums.map((f) =>
        el(
          'tr',
          { 'data-testid': 'forum-row', 'data-forum-id': f.forumId, className: f.assigned >= f.capacity ? 'full' : '' },
          el('td', { text: forumName(o, f.forumId) }),
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
      el('option', { value: '', text: t('allGuests') }),
      ...o.forums.map((f) =>
        el('option', { value: f.forumId, text: t('forumOption', { name: forumName(o, f.forumId) }) }),
      ),
    );
    exportForum.value = o.forums.some((f) => f.forumId === chosen) ? chosen : '';
  }

  const emptyRow = (span, text) => el('tr', {}, el('td', { colspan: span, className: 'muted', text }));
  const emptyItem = (text) => el('li', { className: 'muted', text });
  /** The door a record names, else the name its device was paired under, else the device id. */
  const doorName = (door, deviceId) => {
    if (door) return door;
    const device = last && last.devices.find((d) => d.id === deviceId);
    return device ? device.name : deviceId;
  };

  function renderDoors(doors) {
    $('doors').replaceChildren(
      ...(doors.length === 0
        ? [emptyRow(3, t('noCheckins'))]
        : doors.map((d) =>
            el(
              'tr',
              { 'data-testid': 'door-row', 'data-door': d.door, 'data-device-id': d.deviceId },
              el('td', { text: d.door || '—' }),
              el('td', {
                className: 'mono small',
                text: d.deviceName ? `${d.deviceName} · ${d.deviceId}` : d.deviceId,
              }),
              el('td', { className: 'num', 'data-testid': 'door-check-ins', text: d.checkIns }),
            ),
          )),
    );
  }

  function renderFeed(feed) {
    $('feed').replaceChildren(
      ...(feed.length === 0
        ? [emptyItem(t('noCheckins'))]
        : feed.map((f) =>
            el(
              'li',
              { 'data-testid': 'feed-item', 'data-guest-id': f.guestId, className: f.voided ? 'voided' : '' },
              el('b', { text: f.name }),
              el('span', { className: 'muted', text: ` · ${doorName(f.door, f.deviceId)} · ` }),
              el('span', { 'data-testid': 'feed-time', text: fmtTime(f.atMs) }),
              f.again ? el('span', { className: 'tag warn', text: t('again') }) : null,
              f.voided ? el('span', { className: 'tag', text: t('undone') }) : null,
            ),
          )),
    );
  }

  function renderDuplicates(duplicates) {
    $('duplicates').replaceChildren(
      ...(duplicates.length === 0
        ? [emptyItem(t('none'))]
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
                  .map((c, i) =>
                    t(i === 0 ? 'arrivedAt' : 'againAt', {
                      door: doorName(c.door, c.deviceId),
                      time: fmtTime(Date.parse(c.at)),
                    }),
                  )
                  .join(' · '),
              ),
            ),
          )),
    );
  }

  function renderConflicts(o) {
    const show = (a) => `${forumName(o, a.forumId)} (${a.deviceId}, ${fmtTime(Date.parse(a.at))})`;
    $('conflicts').replaceChildren(
      ...(o.forumConflicts.length === 0
        ? [emptyItem(t('none'))]
        : o.forumConflicts.map((c) =>
            el(
              'li',
              { 'data-testid': 'forum-conflict', 'data-guest-id': c.guestId },
              el('b', { text: c.name }),
              el('div', {
                className: 'sub',
                text: t('conflictLine', { kept: show(c.winner), lost: c.losers.map(show).join(', ') }),
              }),
            ),
          )),
    );
  }

  function renderAlerts(alerts) {
    $('alerts').replaceChildren(
      ...(alerts.length === 0
        ? [emptyItem(t('none'))]
        : alerts.map((a) =>
            el(
              'li',
              { 'data-testid': 'alert' },
              el('b', { text: a.kind }),
              el('span', { className: 'muted', text: ` · ${a.deviceId} · ${fmtDateTime(Date.parse(a.at))}` }),
              el('div', { className: 'sub mono', text: `${a.factId} ${JSON.stringify(a.detail)}` }),
            ),
          )),
    );
  }

  function historyText(history) {
    return history
      .map((h) =>
        t(h.kind === 'revoked' ? 'historyRevoked' : 'historyPaired', { time: fmtDateTime(h.atMs), name: h.name }),
      )
      .join(' · ');
  }

  function renderDevices(devices) {
    $('devices').replaceChildren(
      ...(devices.length === 0
        ? [emptyRow(5, t('noDevices'))]
        : devices.map((d) => {
            const stale = !d.revoked && Date.now() + clockOffsetMs - d.lastContactMs > STALE_MS;
            const revocations = d.history.filter((h) => h.kind === 'revoked').length;
            return el(
              'tr',
              { 'data-testid': 'device-row', 'data-device-id': d.id, className: d.revoked ? 'revoked' : '' },
              el(
                'td',
                {},
                el('div', { text: d.name }),
                el('div', { className: 'mono small muted', text: d.id }),
                revocations > 0
                  ? el('div', {
                      className: 'small warn',
                      'data-testid': 'device-history',
                      text: historyText(d.history),
                    })
                  : null,
              ),
              agoCell(d.lastContactMs, { className: stale ? 'stale' : '', 'data-testid': 'device-last-contact' }),
              agoCell(d.lastEventMs, { 'data-testid': 'device-last-event' }),
              el('td', { className: 'num', text: d.ackedThrough }),
              el(
                'td',
                {},
                d.revoked
                  ? el('span', { className: 'muted', text: t('revoked') })
                  : el('button', {
                      type: 'button',
                      className: 'danger',
                      'data-testid': 'revoke',
                      text: t('revoke'),
                      onclick: () => revoke(d),
                    }),
              ),
            );
          })),
    );
  }

  function renderOpenCodes(codes) {
    $('open-codes').replaceChildren(
      ...(codes.length === 0
        ? [emptyItem(t('noOpenCodes'))]
        : codes.map((c) =>
            el(
              'li',
              { 'data-testid': 'open-code' },
              el('b', { text: c.name }),
              ` · ${t('expires', { time: fmtTime(c.expiresMs) })}`,
            ),
          )),
    );
  }

  function render(o) {
    const stat = (name, value) => {
      document.querySelector(`[data-testid="stat-${name}"]`).textContent = String(value);
    };
    timeZone = o.event.timezone || 'UTC';
    clockOffsetMs = o.serverNowMs - Date.now();
    stat('checked-in', o.stats.checkedIn);
    stat('guests', o.stats.guests);
    stat('no-shows', o.noShows);
    stat('check-ins', o.stats.checkIns);
    stat('duplicates', o.stats.duplicates);
    stat('voided', o.stats.voided);
    stat('devices', o.stats.devices);
    stat('events', o.stats.facts);
    const zone = $('zone');
    zone.hidden = timeZone === viewerZone;
    zone.textContent = t('zoneNote', { zone: timeZone });
    renderForums(o);
    renderDoors(o.doors);
    renderFeed(o.feed);
    renderDuplicates(o.duplicates);
    renderConflicts(o);
    renderAlerts(o.alerts);
    renderDevices(o.devices);
    renderOpenCodes(o.pairingCodes);
    $('updated').textContent = fmtTime(o.serverNowMs);
  }

  function renderCharts(tl) {
    // At least an hour on the axis, so the first minutes of an event do not fill the card with one bar.
    const bucketMs = tl.bucketSeconds * 1000;
    const buckets = tl.buckets.slice();
    while (buckets.length > 0 && buckets.length < 12) {
      buckets.unshift({ start: new Date(Date.parse(buckets[0].start) - bucketMs).toISOString(), byDoor: {} });
    }
    const doorSeries = tl.doors.map((door, k) => ({
      name: door,
      colour: k,
      values: buckets.map((b) => b.byDoor[door] || 0),
    }));
    Charts.stackedBars($('chart-arrivals'), {
      labels: buckets.map((b) => shortTime(Date.parse(b.start))),
      series: doorSeries,
      tickEvery: Math.max(1, Math.ceil(buckets.length / 8)),
      emptyText: t('noCheckins'),
      describe: (label, name, v) => t('barArrivals', { time: label, door: name, n: v }),
    });
    const deskSeries = tl.desks.map((d, k) => ({
      name: d.door,
      colour: k,
      values: tl.scansPerMinute.map((m) => m.byDesk[d.deviceId] || 0),
    }));
    Charts.stackedBars($('chart-scans'), {
      labels: tl.scansPerMinute.map((m) => shortTime(Date.parse(m.start))),
      series: deskSeries,
      tickEvery: 10,
      emptyText: t('noScansHour'),
      describe: (label, name, v) => t('barScans', { time: label, door: name, n: v }),
    });
    const names = last ? last.forumNames : {};
    const forums = $('chart-forums');
    Charts.forumBars(forums, {
      rows: tl.forums.map((f) => ({ ...f, name: nameIn(names[f.forumId]) || f.forumId })),
      emptyText: t('noForums'),
      describe: (name, kind, v, capacity) => t('barForum', { forum: name, what: t(`col.${kind}`), n: v, capacity }),
    });
    forums.append(
      Charts.legend([
        { name: t('col.assigned'), colour: 0 },
        { name: t('col.arrived'), colour: 1 },
        { name: t('col.inside'), colour: 2 },
      ]),
      el('p', { className: 'muted small legend' }, el('span', { className: 'swatch full' }), ` ${t('fullLegend')}`),
    );
  }

  async function refresh() {
    if (inFlight || token === '' || eventId === '') return;
    inFlight = true;
    try {
      // Every half minute, pick up events published meanwhile (not while the organiser is choosing).
      ticks += 1;
      if (ticks % 10 === 0 && document.activeElement !== $('event')) await loadEvents();
      if (eventId === '') return;
      const id = encodeURIComponent(eventId);
      const overview = await apiJson(`/v1/admin/events/${id}/overview`);
      last = overview;
      render(overview);
      lastTimeline = await apiJson(`/v1/admin/events/${id}/timeline?bucket=300`);
      renderCharts(lastTimeline);
      $('app-error').textContent = '';
      setStatus('live', false);
    } catch (error) {
      onFailure(error);
    } finally {
      inFlight = false;
    }
  }

  async function revoke(device) {
    if (!confirm(t('revokeConfirm', { name: device.name, id: device.id }))) return;
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
      $('pairing-for').textContent = t('pairingFor2', { name, time: fmtTime(Date.parse(created.expiresAt)) });
      $('pairing-text').textContent = created.qr;
      $('pairing-qr').src = svg;
      $('pairing').hidden = false;
      $('pairing-name').value = '';
      await refresh();
    } catch (error) {
      onFailure(error);
    }
  }

  const HISTORY_KEYS = {
    check_in: 'h.checkIn',
    check_in_void: 'h.void',
    walk_in: 'h.walkIn',
    forum_assign: 'h.forum',
    forum_entry: 'h.room',
    badge_print: 'h.print',
    guest_edit: 'h.edit',
    note: 'h.note',
  };

  async function showGuest(id) {
    shownGuest = id;
    try {
      const h = await apiJson(`/v1/admin/events/${encodeURIComponent(eventId)}/guests/${encodeURIComponent(id)}`);
      $('guest-history-name').textContent = h.guest.organization
        ? `${h.guest.name} · ${h.guest.organization}`
        : h.guest.name;
      $('guest-history-forum').textContent = h.guest.forumId
        ? t('assignedTo', { forum: forumName(last || {}, h.guest.forumId) })
        : t('noForum');
      $('guest-history-entries').replaceChildren(
        ...(h.entries.length === 0
          ? [emptyItem(t('noHistory'))]
          : h.entries.map((e) =>
              el(
                'li',
                { 'data-testid': 'history-entry', 'data-type': e.type, className: e.voided ? 'voided' : '' },
                el('b', { text: fmtDateTime(e.atMs) }),
                ` ${t(HISTORY_KEYS[e.type] || 'h.other', {
                  door: doorName(e.door, e.deviceId),
                  forum: forumName(last || {}, e.forumId),
                  direction: t(e.direction === 'out' ? 'out' : 'in'),
                  type: e.type,
                })}`,
                e.voided ? el('span', { className: 'tag', text: t('undone') }) : null,
              ),
            )),
      );
      $('guest-history').hidden = false;
    } catch (error) {
      onFailure(error);
    }
  }

  async function searchGuest(event) {
    event.preventDefault();
    const q = $('guest-query').value.trim();
    if (q === '' || eventId === '') return;
    try {
      const { guests } = await apiJson(
        `/v1/admin/events/${encodeURIComponent(eventId)}/guests?${new URLSearchParams({ q })}`,
      );
      $('guest-history').hidden = true;
      $('guest-results').replaceChildren(
        ...(guests.length === 0
          ? [emptyItem(t('noMatch'))]
          : guests.map((g) =>
              el(
                'li',
                {},
                el('button', {
                  type: 'button',
                  className: 'link',
                  'data-testid': 'guest-result',
                  text: g.organization ? `${g.name} · ${g.organization}` : g.name,
                  onclick: () => void showGuest(g.id),
                }),
                el('span', { className: 'muted small', text: ` ${g.checkedIn ? t('isIn') : t('notIn')}` }),
              ),
            )),
      );
    } catch (error) {
      onFailure(error);
    }
  }

  async function download(format) {
    if (eventId === '') return;
    const params = new URLSearchParams({ format, lang });
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
      if (token === '') return;
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
  $('lang').addEventListener('change', () => {
    lang = STRINGS[$('lang').value] ? $('lang').value : 'en';
    sessionStorage.setItem(LANG_KEY, lang);
    applyStrings();
  });
  $('event').addEventListener('change', () => {
    eventId = $('event').value;
    sessionStorage.setItem(EVENT_KEY, eventId);
    $('pairing').hidden = true;
    void refresh();
  });
  $('pairing-form').addEventListener('submit', newPairingCode);
  $('guest-form').addEventListener('submit', searchGuest);
  $('export-csv').addEventListener('click', () => void download('csv'));
  $('export-xlsx').addEventListener('click', () => void download('xlsx'));
  setInterval(tick, 1000);

  applyStrings();
  if (token !== '') void start();
  else showLogin('');
})();
