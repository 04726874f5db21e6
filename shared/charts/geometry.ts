import type { Timeline } from '../projection/timeline.ts';

/**
 * The geometry of the live pictures, drawn by two hands: the kiosk's supervisor view (React, SVG
 * elements) and the organisers' page (plain DOM). Pure numbers in, pure numbers out: no DOM, no
 * framework, no import but types, so the server can serve this very file to the page with its types
 * stripped (server/routes/page.ts) and both draw the same bars from the same arithmetic.
 *
 * Everything is laid out at the width the chart is shown at, in CSS pixels: the drawings are never
 * stretched by a viewBox, so their text stays the size the style sheet gives it on a phone and on a wall.
 */

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A count axis: its top and its gridline values (whole numbers, steps of 1, 2 or 5 × 10ⁿ). */
export interface CountScale {
  top: number;
  ticks: number[];
}

export function countScale(max: number, maxTicks = 4): CountScale {
  if (!(max > 0)) return { top: 1, ticks: [0, 1] };
  const rough = max / Math.max(1, maxTicks);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power);
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(v);
  return { top, ticks };
}

export interface StackedRect {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Index into the series (its colour), and into the buckets. */
  series: number;
  bucket: number;
  value: number;
}

export interface StackedLayout {
  plot: Box;
  scale: CountScale;
  /** Per bucket, all series together. */
  totals: number[];
  /** Nonzero parts only, bottom-up within a bucket. */
  rects: StackedRect[];
  /** Gridlines: the value and its y. */
  gridlines: { value: number; y: number }[];
  /**
   * The buckets whose label is drawn, at their centre x: spaced so labels of `labelWidth` px never
   * overlap, and on round times (every 3rd 5-minute bucket from the hour: :00, :15, :30, :45).
   */
  labels: { bucket: number; x: number }[];
}

export const CHART_MARGIN = { left: 36, right: 6, top: 8, bottom: 22 } as const;

/**
 * Stacked bars: `series[k][i]` is series k's value in bucket i. Bars sit in equal slots across the plot,
 * at most `maxBarWidth` wide; a part's height is its share of the axis, so a bucket's parts add up to
 * its total's height.
 */
export function stackedBars(input: {
  width: number;
  height: number;
  series: readonly (readonly number[])[];
  bucketCount: number;
  labelWidth: number;
  maxBarWidth?: number;
  /** The first bucket's number counted from the epoch (its start ÷ the bucket length), for round labels. */
  firstBucket?: number;
}): StackedLayout {
  const { width, height, series, bucketCount, labelWidth } = input;
  const m = CHART_MARGIN;
  const plot = {
    left: m.left,
    top: m.top,
    width: Math.max(1, width - m.left - m.right),
    height: Math.max(1, height - m.top - m.bottom),
  };
  const totals = Array.from({ length: bucketCount }, (_, i) =>
    series.reduce((sum, values) => sum + Math.max(0, values[i] ?? 0), 0),
  );
  const scale = countScale(Math.max(0, ...totals));
  const slot = plot.width / Math.max(1, bucketCount);
  const barWidth = Math.min(input.maxBarWidth ?? 28, Math.max(1, slot * 0.8));
  const bottom = plot.top + plot.height;
  const rects: StackedRect[] = [];
  for (let i = 0; i < bucketCount; i++) {
    const x = plot.left + i * slot + (slot - barWidth) / 2;
    let y = bottom;
    series.forEach((values, k) => {
      const value = Math.max(0, values[i] ?? 0);
      if (value === 0) return;
      const h = (value / scale.top) * plot.height;
      y -= h;
      rects.push({ x, y, width: barWidth, height: h, series: k, bucket: i, value });
    });
  }
  const gridlines = scale.ticks.map((value) => ({ value, y: bottom - (value / scale.top) * plot.height }));
  const every = labelStep(bucketCount, plot.width, labelWidth);
  const first = input.firstBucket ?? 0;
  const labels: StackedLayout['labels'] = [];
  for (let i = (every - (first % every)) % every; i < bucketCount; i += every) {
    labels.push({ bucket: i, x: plot.left + (i + 0.5) * slot });
  }
  return { plot, scale, totals, rects, gridlines, labels };
}

/** Every how many buckets a label fits: labels `labelWidth` px wide with a little air between them. */
export function labelStep(bucketCount: number, plotWidth: number, labelWidth: number): number {
  if (bucketCount <= 0) return 1;
  const fit = Math.max(1, Math.floor(plotWidth / (labelWidth + 8)));
  const raw = Math.ceil(bucketCount / fit);
  // Round steps (5, 10, 15, 30, 60 …) read as times; 1–4 stay as they are.
  const nice = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 240, 360, 720];
  return nice.find((n) => n >= raw) ?? raw;
}

export interface ForumFill {
  capacity: number;
  assigned: number;
  arrived: number;
  inside: number;
}

export const FORUM_MEASURES = ['assigned', 'arrived', 'inside'] as const;
export type ForumMeasure = (typeof FORUM_MEASURES)[number];

export interface ForumRowLayout {
  /** Top of the row; the label's baseline and right edge. */
  y: number;
  labelX: number;
  labelY: number;
  /** The capacity: a pale band as long as the capacity, and a mark at its end. */
  capacity: { x: number; y: number; width: number; height: number };
  markX: number;
  bars: { measure: ForumMeasure; x: number; y: number; width: number; height: number; value: number }[];
  /** Assigned guests have reached the capacity. */
  full: boolean;
}

export const FORUM_ROW = { height: 34, band: 27, bar: 8, gap: 1 } as const;

/** Forum fill: one row a forum, three bars (assigned, arrived, inside) against its capacity. */
export function forumBars(input: { width: number; rows: readonly ForumFill[]; labelWidth?: number }): {
  height: number;
  rows: ForumRowLayout[];
} {
  const { width, rows } = input;
  const labelWidth = input.labelWidth ?? Math.min(150, Math.round(width * 0.35));
  const span = Math.max(1, width - labelWidth - 10);
  const max = Math.max(1, ...rows.map((r) => Math.max(r.capacity, r.assigned, r.arrived, r.inside)));
  const length = (v: number) => (span * Math.max(0, v)) / max;
  const R = FORUM_ROW;
  return {
    height: rows.length * R.height + 6,
    rows: rows.map((r, i) => {
      const y = 4 + i * R.height;
      return {
        y,
        labelX: labelWidth - 6,
        labelY: y + 18,
        capacity: { x: labelWidth, y, width: length(r.capacity), height: R.band },
        markX: labelWidth + length(r.capacity),
        bars: FORUM_MEASURES.map((measure, k) => ({
          measure,
          x: labelWidth,
          y: y + k * (R.bar + R.gap),
          // A nonzero value is never drawn thinner than a pixel, so it stays visible.
          width: r[measure] > 0 ? Math.max(1, length(r[measure])) : 0,
          height: R.bar,
          value: r[measure],
        })),
        full: r.capacity > 0 && r.assigned >= r.capacity,
      };
    }),
  };
}

/** A long name cut to `max` characters with an ellipsis. */
export function shortLabel(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

/** Series for a stacked chart: a name a series, values per bucket, and the buckets' start times. */
export interface ChartSeries {
  starts: number[];
  bucketMs: number;
  series: { key: string; name: string; values: number[] }[];
}

/**
 * Arrivals by door, from the timeline's buckets: at least `minBuckets` on the axis (so an event's first
 * minutes do not fill the chart with one wide bar: empty buckets go before the first), at most
 * `maxBuckets` (the latest).
 */
export function arrivalSeries(timeline: Timeline, minBuckets: number, maxBuckets: number): ChartSeries {
  const bucketMs = timeline.bucketSeconds * 1000;
  const kept = timeline.buckets.slice(-maxBuckets);
  const starts = kept.map((b) => Date.parse(b.start));
  const pad = kept.length === 0 ? 0 : Math.max(0, minBuckets - kept.length);
  const first = starts[0] ?? 0;
  const padded = [...Array.from({ length: pad }, (_, i) => first - (pad - i) * bucketMs), ...starts];
  return {
    starts: padded,
    bucketMs,
    series: timeline.doors.map((door) => ({
      key: door,
      name: door,
      values: [...Array<number>(pad).fill(0), ...kept.map((b) => b.byDoor[door] ?? 0)],
    })),
  };
}

/** Scans per minute, one series a desk (named by its door; two desks at one door by device too), the last hour. */
export function scanSeries(timeline: Timeline): ChartSeries {
  const atDoor = new Map<string, number>();
  for (const d of timeline.desks) atDoor.set(d.door, (atDoor.get(d.door) ?? 0) + 1);
  return {
    starts: timeline.scansPerMinute.map((m) => Date.parse(m.start)),
    bucketMs: 60_000,
    series: timeline.desks.map((d) => ({
      key: d.deviceId,
      name: (atDoor.get(d.door) ?? 0) > 1 ? `${d.door} · ${d.deviceId.slice(0, 8)}` : d.door,
      values: timeline.scansPerMinute.map((m) => m.byDesk[d.deviceId] ?? 0),
    })),
  };
}
