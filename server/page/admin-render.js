/* global document */
// The organisers' page, part 2 of 3: drawing the overview and the charts (admin-core.js holds the
// state and helpers; admin.js, part 3, fetches and calls these). Values go in through textContent only.
'use strict';

(() => {
  const P = globalThis.LanyardPage;
  const { state, viewerZone, $, t, nameIn, el, fmtTime, fmtDateTime, shortTime, agoCell } = P;
  const { forumName, emptyRow, emptyItem, doorName, historyText } = P;
  const Charts = globalThis.LanyardCharts;
  const STALE_MS = 5 * 60_000;

  function renderEvents() {
    const select = $('event');
    select.replaceChildren(...state.events.map((e) => el('option', { value: e.id, text: nameIn(e.names) || e.name })));
    if (state.eventId) select.value = state.eventId;
  }

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

  /** An alert's kind in words (its code kept beside it); a relayed record's refusal names its reason in words too. */
  function alertText(a) {
    const words = (code) => {
      const text = t(`alert.${code}`, { reason: '' });
      return text === `alert.${code}` ? code : text;
    };
    const reason = a.detail && typeof a.detail.reason === 'string' ? a.detail.reason : '';
    const text = t(`alert.${a.kind}`, { reason: reason === '' ? '' : words(reason) });
    return text === `alert.${a.kind}` ? a.kind : `${text} (${a.kind})`;
  }

  function renderAlerts(alerts) {
    $('alerts').replaceChildren(
      ...(alerts.length === 0
        ? [emptyItem(t('none'))]
        : alerts.map((a) =>
            el(
              'li',
              { 'data-testid': 'alert' },
              el('b', { text: alertText(a) }),
              el('span', { className: 'muted', text: ` · ${a.deviceId} · ${fmtDateTime(Date.parse(a.at))}` }),
              el('div', { className: 'sub mono', text: `${a.factId} ${JSON.stringify(a.detail)}` }),
            ),
          )),
    );
  }

  function renderDevices(devices) {
    $('devices').replaceChildren(
      ...(devices.length === 0
        ? [emptyRow(5, t('noDevices'))]
        : devices.map((d) => {
            const stale = !d.revoked && Date.now() + state.clockOffsetMs - d.lastContactMs > STALE_MS;
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
                      onclick: () => P.revoke(d),
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
    state.timeZone = o.event.timezone || 'UTC';
    state.clockOffsetMs = o.serverNowMs - Date.now();
    stat('checked-in', o.stats.checkedIn);
    stat('guests', o.stats.guests);
    stat('no-shows', o.noShows);
    stat('check-ins', o.stats.checkIns);
    stat('duplicates', o.stats.duplicates);
    stat('voided', o.stats.voided);
    stat('devices', o.stats.devices);
    stat('events', o.stats.facts);
    const zone = $('zone');
    zone.hidden = state.timeZone === viewerZone;
    zone.textContent = t('zoneNote', { zone: state.timeZone });
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

  /** The arrivals chart shows at most a day of buckets (the latest), at least an hour. */
  const MIN_BUCKETS = 12;
  const MAX_BUCKETS = 288;

  function renderCharts(tl) {
    const total = (s) => s.values.reduce((a, b) => a + b, 0);
    const summary = (data, key) =>
      t(key, {
        total: data.series.reduce((n, s) => n + total(s), 0),
        from: data.starts.length > 0 ? shortTime(data.starts[0]) : '',
        parts: data.series.map((s) => `${s.name} ${total(s)}`).join(', '),
      });
    const arrivals = Charts.arrivalSeries(tl, MIN_BUCKETS, MAX_BUCKETS);
    Charts.stackedChart($('chart-arrivals'), {
      labels: arrivals.starts.map(shortTime),
      series: arrivals.series,
      firstBucket: Math.floor((arrivals.starts[0] || 0) / arrivals.bucketMs),
      emptyText: t('noCheckins'),
      describe: (label, name, v) => t('barArrivals', { time: label, door: name, n: v }),
      summary: summary(arrivals, 'summaryArrivals'),
    });
    const scans = Charts.scanSeries(tl);
    Charts.stackedChart($('chart-scans'), {
      labels: scans.starts.map(shortTime),
      series: scans.series,
      firstBucket: Math.floor((scans.starts[0] || 0) / scans.bucketMs),
      emptyText: t('noScansHour'),
      describe: (label, name, v) => t('barScans', { time: label, door: name, n: v }),
      summary: summary(scans, 'summaryScans'),
    });
    const names = state.last ? state.last.forumNames : {};
    Charts.forumChart($('chart-forums'), {
      rows: tl.forums.map((f) => ({ ...f, name: nameIn(names[f.forumId]) || f.forumId })),
      emptyText: t('noForums'),
      describe: (name, kind, v, capacity) => t('barForum', { forum: name, what: t(`col.${kind}`), n: v, capacity }),
      measureName: (kind) => t(`col.${kind}`),
      capacityName: t('col.capacity'),
      fullText: t('fullLegend'),
    });
  }

  // Charts are laid out at their card's width: a resize (a phone turned, a window widened) draws them again
  // from the last timeline, also while the server is unreachable.
  Charts.redrawOnResize(['chart-arrivals', 'chart-scans', 'chart-forums'].map($), () => {
    if (state.lastTimeline !== null) renderCharts(state.lastTimeline);
  });

  Object.assign(P, { renderEvents, render, renderCharts });
})();
