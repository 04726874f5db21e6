/* global document, window, sessionStorage, URL, URLSearchParams, setInterval, clearInterval, confirm */
// The organisers' page, part 3 of 3: sign-in, the refresh loop, the organiser's actions (revoke a device,
// a pairing code, a guest's history, the export) and the language switch. admin-core.js (part 1) holds
// the state and helpers, admin-render.js (part 2) draws; all three load deferred, in that order.
'use strict';

(() => {
  const P = globalThis.LanyardPage;
  const { TOKEN_KEY, EVENT_KEY, LANG_KEY, STRINGS, state, $, t, HttpError, api, apiJson, el } = P;
  const { fmtTime, fmtDateTime, tick, forumName, emptyItem, doorName, renderEvents, render, renderCharts } = P;
  const REFRESH_MS = 3000;

  function setStatus(key, offline) {
    state.statusKey = key;
    const status = $('status');
    status.textContent = key === '' ? '' : t(key);
    status.classList.toggle('offline', Boolean(offline));
  }

  function applyStrings() {
    document.documentElement.lang = state.lang;
    for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.getAttribute('data-i18n'));
    $('guest-query').placeholder = t('guestPlaceholder');
    $('pairing-name').placeholder = t('pairingPlaceholder');
    $('lang').value = state.lang;
    $('status').textContent = state.statusKey === '' ? '' : t(state.statusKey);
    renderEvents();
    if (state.last !== null) render(state.last);
    if (state.lastTimeline !== null) renderCharts(state.lastTimeline);
    if (state.shownGuest !== '' && !$('guest-history').hidden) void showGuest(state.shownGuest);
  }

  function showLogin(message) {
    if (state.timer !== null) clearInterval(state.timer);
    state.timer = null;
    state.token = '';
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

  async function loadEvents() {
    state.events = (await apiJson('/v1/admin/events')).events;
    $('empty').hidden = state.events.length > 0;
    $('dashboard').hidden = state.events.length === 0;
    if (state.events.length === 0) {
      state.eventId = '';
      renderEvents();
      return;
    }
    if (!state.events.some((e) => e.id === state.eventId)) state.eventId = state.events[0].id;
    renderEvents();
    sessionStorage.setItem(EVENT_KEY, state.eventId);
  }

  async function refresh() {
    if (state.inFlight || state.token === '' || state.eventId === '') return;
    state.inFlight = true;
    try {
      // Every half minute, pick up events published meanwhile (not while the organiser is choosing).
      state.ticks += 1;
      if (state.ticks % 10 === 0 && document.activeElement !== $('event')) await loadEvents();
      if (state.eventId === '') return;
      const id = encodeURIComponent(state.eventId);
      const overview = await apiJson(`/v1/admin/events/${id}/overview`);
      state.last = overview;
      render(overview);
      state.lastTimeline = await apiJson(`/v1/admin/events/${id}/timeline?bucket=300`);
      renderCharts(state.lastTimeline);
      $('app-error').textContent = '';
      setStatus('live', false);
    } catch (error) {
      onFailure(error);
    } finally {
      state.inFlight = false;
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
    if (name === '' || state.eventId === '') return;
    try {
      const created = await apiJson(`/v1/admin/events/${encodeURIComponent(state.eventId)}/pairing-codes`, {
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
    state.shownGuest = id;
    try {
      const h = await apiJson(`/v1/admin/events/${encodeURIComponent(state.eventId)}/guests/${encodeURIComponent(id)}`);
      $('guest-history-name').textContent = h.guest.organization
        ? `${h.guest.name} · ${h.guest.organization}`
        : h.guest.name;
      $('guest-history-forum').textContent = h.guest.forumId
        ? t('assignedTo', { forum: forumName(state.last || {}, h.guest.forumId) })
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
                  forum: forumName(state.last || {}, e.forumId),
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
    if (q === '' || state.eventId === '') return;
    try {
      const { guests } = await apiJson(
        `/v1/admin/events/${encodeURIComponent(state.eventId)}/guests?${new URLSearchParams({ q })}`,
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
    if (state.eventId === '') return;
    const params = new URLSearchParams({ format, lang: state.lang });
    const forum = $('export-forum').value;
    if (forum) params.set('forum', forum);
    try {
      const response = await api(`/v1/admin/events/${encodeURIComponent(state.eventId)}/export?${params}`);
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
      if (state.token === '') return;
    }
    await refresh();
    if (state.timer !== null) clearInterval(state.timer);
    state.timer = setInterval(refresh, REFRESH_MS);
  }

  P.revoke = revoke; // admin-render.js's revoke buttons call it

  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    state.token = $('token').value.trim();
    $('token').value = '';
    if (state.token === '') return;
    sessionStorage.setItem(TOKEN_KEY, state.token);
    void start();
  });
  $('sign-out').addEventListener('click', () => showLogin(''));
  $('lang').addEventListener('change', () => {
    state.lang = STRINGS[$('lang').value] ? $('lang').value : 'en';
    sessionStorage.setItem(LANG_KEY, state.lang);
    applyStrings();
  });
  $('event').addEventListener('change', () => {
    state.eventId = $('event').value;
    sessionStorage.setItem(EVENT_KEY, state.eventId);
    $('pairing').hidden = true;
    void refresh();
  });
  $('pairing-form').addEventListener('submit', newPairingCode);
  $('guest-form').addEventListener('submit', searchGuest);
  $('export-csv').addEventListener('click', () => void download('csv'));
  $('export-xlsx').addEventListener('click', () => void download('xlsx'));
  setInterval(tick, 1000);

  applyStrings();
  if (state.token !== '') void start();
  else showLogin('');
})();
