/* global document */
// Small SVG charts for the organisers' page. Our own rather than a library: the page's CSP has
// no 'unsafe-inline' for styles, and the smallest kept SVG library (Chartist 1.5, ~37 kB gzipped) writes
// style="" attributes and label markup that this CSP refuses; Observable Plot injects a <style> element
// and brings d3; ApexCharts is ~130 kB gzipped and injects styles too; Chart.js and uPlot draw on canvas.
// Here every shape is an SVG element with presentation attributes only (fill, x, width…), which a
// style-src 'self' policy allows, and the whole module is ~150 lines with no dependency.
'use strict';

(() => {
  const NS = 'http://www.w3.org/2000/svg';
  const PALETTE = ['#0b6bcb', '#e8710a', '#1e8e3e', '#9334e6', '#d01884', '#12b5cb', '#a15c00', '#5f6368'];

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(NS, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    for (const child of children) if (child) node.append(child);
    return node;
  }
  const text = (x, y, content, attrs) => {
    const node = svg('text', { x, y, 'font-size': 11, fill: 'currentColor', ...attrs });
    node.textContent = content;
    return node;
  };
  const titled = (node, title) => {
    const t = svg('title');
    t.textContent = title;
    node.append(t);
    return node;
  };
  const niceMax = (max) => {
    if (max <= 5) return 5;
    const step = 10 ** Math.floor(Math.log10(max));
    return Math.ceil(max / step) * step;
  };

  function legend(series) {
    const box = document.createElement('div');
    box.className = 'chart-legend';
    for (const s of series) {
      const item = document.createElement('span');
      const swatch = document.createElement('i');
      swatch.className = `swatch c${s.colour}`;
      item.append(swatch, document.createTextNode(s.name));
      box.append(item);
    }
    return box;
  }

  /**
   * Stacked bars: one bar per label, one coloured part per series. `labelOf(i)` names a bar's tick
   * (every `tickEvery`-th is drawn); an empty chart shows `emptyText`.
   */
  function stackedBars(container, { labels, series, tickEvery, emptyText, describe }) {
    container.replaceChildren();
    const total = labels.map((_, i) => series.reduce((n, s) => n + (s.values[i] || 0), 0));
    const max = Math.max(0, ...total);
    if (labels.length === 0 || max === 0) {
      const p = document.createElement('p');
      p.className = 'muted small';
      p.textContent = emptyText;
      container.append(p);
      container.dataset.bars = '0';
      return;
    }
    // Drawn at the container's own width, so the text stays 11 px on a phone and on a wide screen.
    const W = Math.max(280, Math.round(container.clientWidth || 600));
    const H = 180;
    const left = 34;
    const bottom = 22;
    const top = 8;
    const plotH = H - bottom - top;
    const top5 = niceMax(max);
    const slot = (W - left - 4) / labels.length;
    const barW = Math.min(28, Math.max(1, slot * 0.8));
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', class: 'chart-svg' });
    for (const f of [0, 0.5, 1]) {
      const y = top + plotH * (1 - f);
      root.append(svg('line', { x1: left, x2: W, y1: y, y2: y, stroke: 'currentColor', 'stroke-opacity': 0.15 }));
      root.append(text(left - 4, y + 4, String(Math.round(top5 * f)), { 'text-anchor': 'end' }));
    }
    let drawn = 0;
    labels.forEach((label, i) => {
      let y = top + plotH;
      const x = left + i * slot + (slot - barW) / 2;
      series.forEach((s, k) => {
        const v = s.values[i] || 0;
        if (v === 0) return;
        const h = (v / top5) * plotH;
        y -= h;
        const rect = svg('rect', { x, y, width: barW, height: h, fill: PALETTE[s.colour % PALETTE.length] });
        rect.setAttribute('data-series', String(k));
        root.append(titled(rect, describe(label, s.name, v)));
        drawn += 1;
      });
      if (i % tickEvery === 0) root.append(text(x, H - 6, label, {}));
    });
    container.dataset.bars = String(drawn);
    container.append(root, legend(series));
  }

  /** Forum fill: per forum, assigned / arrived / inside as bars against a capacity mark. */
  function forumBars(container, { rows, emptyText, describe }) {
    container.replaceChildren();
    if (rows.length === 0) {
      const p = document.createElement('p');
      p.className = 'muted small';
      p.textContent = emptyText;
      container.append(p);
      container.dataset.bars = '0';
      return;
    }
    const W = Math.max(280, Math.round(container.clientWidth || 600));
    const rowH = 34;
    const left = Math.min(150, Math.round(W * 0.35));
    const H = rows.length * rowH + 6;
    const max = Math.max(1, ...rows.map((r) => Math.max(r.capacity, r.assigned, r.inside)));
    const scale = (v) => ((W - left - 10) * v) / max;
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', class: 'chart-svg' });
    let drawn = 0;
    rows.forEach((r, i) => {
      const y = 4 + i * rowH;
      const full = r.capacity > 0 && r.assigned >= r.capacity;
      const label = r.name.length > 22 ? `${r.name.slice(0, 21)}…` : r.name;
      root.append(text(left - 6, y + 18, label, { 'text-anchor': 'end', fill: full ? '#c62828' : 'currentColor' }));
      root.append(
        svg('rect', { x: left, y, width: scale(r.capacity), height: 27, fill: 'currentColor', 'fill-opacity': 0.08 }),
      );
      [
        ['assigned', r.assigned, 0],
        ['arrived', r.arrived, 1],
        ['inside', r.inside, 2],
      ].forEach(([kind, v, k]) => {
        const rect = svg('rect', {
          x: left,
          y: y + k * 9,
          width: Math.max(v > 0 ? 1 : 0, scale(v)),
          height: 8,
          fill: kind === 'assigned' && full ? '#c62828' : PALETTE[k],
        });
        root.append(titled(rect, describe(r.name, kind, v, r.capacity)));
        if (v > 0) drawn += 1;
      });
      const cx = left + scale(r.capacity);
      root.append(svg('line', { x1: cx, x2: cx, y1: y - 2, y2: y + 29, stroke: 'currentColor', 'stroke-width': 2 }));
    });
    container.dataset.bars = String(drawn);
    container.append(root);
  }

  globalThis.LanyardCharts = { stackedBars, forumBars, legend };
})();
