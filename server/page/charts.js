/* global document, ResizeObserver */
// Small SVG charts for the organisers' page. Our own rather than a library: the page's CSP has no
// 'unsafe-inline' for styles, and the smallest kept SVG library (Chartist 1.5, ~37 kB gzipped) writes
// style="" attributes and label markup that this CSP refuses; Observable Plot injects a <style> element
// and brings d3; ApexCharts is ~130 kB gzipped and injects styles too; Chart.js and uPlot draw on canvas.
// Here every shape is an SVG element with presentation attributes and classes only (colours come from
// admin.css), which a style-src 'self' policy allows.
//
// The arithmetic (scales, stacking, label spacing, the forum rows) is the kiosk's own: this module imports
// shared/charts/geometry.ts, which the server serves at that very path with its types stripped
// (server/routes/page.ts), so the supervisor view and this page lay out the same bars from the same code.
// Charts are laid out at the width their card has and redrawn when it changes (chart text stays 12 px
// on a phone and on a wall; a drawing stretched by a viewBox would stretch its text with it).
import {
  arrivalSeries,
  forumBars,
  FORUM_MEASURES,
  scanSeries,
  shortLabel,
  stackedBars,
} from '../../shared/charts/geometry.ts';

const NS = 'http://www.w3.org/2000/svg';
const COLOURS = 8;
const HEIGHT = 180;

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
  for (const child of children) if (child) node.append(child);
  return node;
}
const text = (x, y, content, attrs) => {
  const node = svg('text', { x, y, ...attrs });
  node.textContent = content;
  return node;
};
const titled = (node, title) => {
  const t = svg('title');
  t.textContent = title;
  node.append(t);
  return node;
};

function legend(items) {
  const box = document.createElement('div');
  box.className = 'chart-legend';
  for (const item of items) {
    const entry = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.className = `swatch ${item.className}`;
    entry.append(swatch, document.createTextNode(item.name));
    box.append(entry);
  }
  return box;
}

/**
 * Starts a chart in `container`: empties it, and says whether there is anything to draw (else shows
 * `emptyText`). The width is the container's own, remembered so a resize knows to draw again.
 */
function begin(container, hasData, emptyText) {
  container.replaceChildren();
  const width = Math.max(240, Math.round(container.clientWidth || 600));
  container.dataset.width = String(width);
  if (hasData) return width;
  const p = document.createElement('p');
  p.className = 'muted small';
  p.textContent = emptyText;
  container.append(p);
  container.dataset.bars = '0';
  return 0;
}

/**
 * Stacked bars: one bar per label, one coloured part per series (`{ name, values }`); labels drawn on
 * round times where they fit (`firstBucket`: the first bar's bucket number). An empty chart shows `emptyText`.
 */
function stackedChart(container, { labels, series, firstBucket, emptyText, describe, summary }) {
  const hasData = series.some((s) => s.values.some((v) => v > 0));
  const width = begin(container, labels.length > 0 && hasData, emptyText);
  if (width === 0) return;
  const layout = stackedBars({
    width,
    height: HEIGHT,
    series: series.map((s) => s.values),
    bucketCount: labels.length,
    labelWidth: 40,
    firstBucket,
  });
  const root = svg('svg', { width, height: HEIGHT, role: 'img', class: 'chart-svg', 'aria-label': summary });
  const { plot } = layout;
  for (const g of layout.gridlines) {
    root.append(svg('line', { x1: plot.left, x2: plot.left + plot.width, y1: g.y, y2: g.y, class: 'grid' }));
    root.append(text(plot.left - 4, g.y + 4, String(g.value), { 'text-anchor': 'end' }));
  }
  for (const r of layout.rects) {
    const rect = svg('rect', { x: r.x, y: r.y, width: r.width, height: r.height, class: `c${r.series % COLOURS}` });
    rect.setAttribute('data-series', String(r.series));
    root.append(titled(rect, describe(labels[r.bucket], series[r.series].name, r.value)));
  }
  for (const l of layout.labels) root.append(text(l.x, HEIGHT - 6, labels[l.bucket], { 'text-anchor': 'middle' }));
  container.dataset.bars = String(layout.rects.length);
  container.append(root, legend(series.map((s, k) => ({ name: s.name, className: `c${k % COLOURS}` }))));
}

/** Forum fill: per forum (`{ name, capacity, assigned, arrived, inside }`), three bars against the capacity. */
function forumChart(container, { rows, emptyText, describe, measureName, capacityName, fullText }) {
  const width = begin(container, rows.length > 0, emptyText);
  if (width === 0) return;
  const layout = forumBars({ width, rows });
  const root = svg('svg', { width, height: layout.height, role: 'img', class: 'chart-svg' });
  const said = [];
  let drawn = 0;
  layout.rows.forEach((row, i) => {
    const r = rows[i];
    const g = svg('g', { class: row.full ? 'forum-row full' : 'forum-row' });
    g.append(titled(text(row.labelX, row.labelY, shortLabel(r.name, 22), { 'text-anchor': 'end' }), r.name));
    g.append(svg('rect', { ...row.capacity, class: 'capacity-band' }));
    for (const b of row.bars) {
      const line = describe(r.name, b.measure, b.value, r.capacity);
      said.push(line);
      g.append(
        titled(svg('rect', { x: b.x, y: b.y, width: b.width, height: b.height, class: `m-${b.measure}` }), line),
      );
      if (b.value > 0) drawn += 1;
    }
    const { y, height } = row.capacity;
    g.append(svg('line', { x1: row.markX, x2: row.markX, y1: y - 2, y2: y + height + 2, class: 'capacity-mark' }));
    root.append(g);
  });
  root.setAttribute('aria-label', said.join('; '));
  container.dataset.bars = String(drawn);
  const items = FORUM_MEASURES.map((m) => ({ name: measureName(m), className: `m-${m}` }));
  const full = document.createElement('p');
  const swatch = document.createElement('span');
  full.className = 'muted small legend';
  swatch.className = 'swatch full';
  full.append(swatch, ` ${fullText}`);
  container.append(root, legend([...items, { name: capacityName, className: 'capacity-band' }]), full);
}

/** Draws again whatever `redraw` draws whenever one of `containers` changes width (not for other changes). */
function redrawOnResize(containers, redraw) {
  const observer = new ResizeObserver(() => {
    if (containers.some((c) => c.clientWidth > 0 && String(Math.round(c.clientWidth)) !== c.dataset.width)) redraw();
  });
  for (const c of containers) observer.observe(c);
}

globalThis.LanyardCharts = { stackedChart, forumChart, redrawOnResize, arrivalSeries, scanSeries };
