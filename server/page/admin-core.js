/* global document, sessionStorage, fetch */
// The organisers' page, part 1 of 3: its state, translations, server calls and the DOM and time helpers
// that admin-render.js (part 2) and admin.js (part 3) share through globalThis.LanyardPage. Plain DOM, no
// framework, no inline script (the page's CSP is script-src 'self'). Every value from the server goes in
// through textContent, never as HTML. Strings come from /admin-strings.js (中文, English, Deutsch).
'use strict';

(() => {
  const TOKEN_KEY = 'lanyard.adminToken';
  const EVENT_KEY = 'lanyard.eventId';
  const LANG_KEY = 'lanyard.lang';
  const STRINGS = globalThis.LANYARD_PAGE_STRINGS;

  const $ = (id) => document.getElementById(id);
  /** What the page holds between refreshes; the parts read and change it here. */
  const state = {
    token: sessionStorage.getItem(TOKEN_KEY) || '',
    eventId: sessionStorage.getItem(EVENT_KEY) || '',
    lang: sessionStorage.getItem(LANG_KEY) || document.documentElement.lang || 'en',
    timer: null,
    inFlight: false,
    ticks: 0,
    events: [],
    /** The last overview, re-rendered when the language changes. */
    last: null,
    lastTimeline: null,
    /** The guest whose history is open, redrawn in the new language on a switch. */
    shownGuest: '',
    timeZone: 'UTC',
    /** Server clock minus ours, so "ago" counts from the server's time and keeps ticking offline. */
    clockOffsetMs: 0,
    /** The status by its string key, so a language switch re-translates it ('' = none). */
    statusKey: '',
  };
  if (!STRINGS[state.lang]) state.lang = 'en';
  const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  const t = (key, params) => {
    const raw = (STRINGS[state.lang] && STRINGS[state.lang][key]) || STRINGS.en[key] || key;
    return raw.replace(/\{(\w+)\}/g, (_, name) => (params && name in params ? String(params[name]) : `{${name}}`));
  };
  const nameIn = (names) => {
    if (!names) return '';
    const key = state.lang === 'zh-CN' ? 'zh' : state.lang;
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
    const headers = { authorization: `Bearer ${state.token}`, ...(init.headers || {}) };
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

  // The totals: [test id, label key] each; render() fills the numbers.
  const STATS = [
    ['checked-in', 'stat.checkedIn'],
    ['guests', 'stat.guests'],
    ['no-shows', 'stat.noShows'],
    ['check-ins', 'stat.checkIns'],
    ['duplicates', 'stat.duplicates'],
    ['voided', 'stat.voided'],
    ['devices', 'stat.devices'],
    ['events', 'stat.events'],
  ];
  $('stats').append(
    ...STATS.map(([id, key]) =>
      el(
        'div',
        { className: 'stat' },
        el('span', { className: 'label', 'data-i18n': key }),
        el('b', { 'data-testid': `stat-${id}`, text: '0' }),
      ),
    ),
  );
  // A card declared as <section class="card" data-card="key" data-hint="key">body</section> gets its
  // heading and hint line here (translated with the rest by data-i18n), so the HTML says each card once.
  for (const card of document.querySelectorAll('[data-card]')) {
    const hint = card.dataset.hint ? el('p', { className: 'muted small', 'data-i18n': card.dataset.hint }) : null;
    card.prepend(el('h2', { 'data-i18n': card.dataset.card }), ...(hint ? [hint] : []));
  }

  // Every time in the event's zone; the zone's name added when the reader's browser is in another one.
  const format = (ms, withDate) => {
    if (!ms) return '';
    const options = { timeZone: state.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    if (withDate) Object.assign(options, { month: 'short', day: 'numeric' });
    if (state.timeZone !== viewerZone) options.timeZoneName = 'short';
    return new Intl.DateTimeFormat(state.lang, options).format(new Date(ms));
  };
  const fmtTime = (ms) => format(ms, false);
  const fmtDateTime = (ms) => format(ms, true);
  const shortTime = (ms) =>
    new Intl.DateTimeFormat(state.lang, {
      timeZone: state.timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(ms));
  const ago = (ms) => {
    if (!ms) return t('never');
    const s = Math.max(0, Math.round((Date.now() + state.clockOffsetMs - ms) / 1000));
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

  const forumName = (o, id) => nameIn(o.forumNames && o.forumNames[id]) || id;
  const emptyRow = (span, text) => el('tr', {}, el('td', { colspan: span, className: 'muted', text }));
  const emptyItem = (text) => el('li', { className: 'muted', text });
  /** The door a record names, else the name its device was paired under, else the device id. */
  const doorName = (door, deviceId) => {
    if (door) return door;
    const device = state.last && state.last.devices.find((d) => d.id === deviceId);
    return device ? device.name : deviceId;
  };

  function historyText(history) {
    return history
      .map((h) =>
        t(h.kind === 'revoked' ? 'historyRevoked' : 'historyPaired', { time: fmtDateTime(h.atMs), name: h.name }),
      )
      .join(' · ');
  }

  globalThis.LanyardPage = {
    TOKEN_KEY,
    EVENT_KEY,
    LANG_KEY,
    STRINGS,
    state,
    viewerZone,
    $,
    t,
    nameIn,
    HttpError,
    api,
    apiJson,
    el,
    fmtTime,
    fmtDateTime,
    shortTime,
    agoCell,
    tick,
    forumName,
    emptyRow,
    emptyItem,
    doorName,
    historyText,
  };
})();
