import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arrivalSeries,
  countScale,
  forumBars,
  labelStep,
  scanSeries,
  shortLabel,
  stackedBars,
} from '../../shared/charts/geometry.ts';
import { buildTimeline, type TimelineEntry } from '../../shared/projection/timeline.ts';

/** The live pictures' geometry (shared/charts): what both the supervisor view and the organisers' page draw. */
const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;

describe('countScale', () => {
  it('picks whole, round steps that reach the maximum', () => {
    expect(countScale(0)).toEqual({ top: 1, ticks: [0, 1] });
    expect(countScale(3)).toEqual({ top: 3, ticks: [0, 1, 2, 3] });
    expect(countScale(7)).toEqual({ top: 8, ticks: [0, 2, 4, 6, 8] });
    expect(countScale(230)).toEqual({ top: 300, ticks: [0, 100, 200, 300] });
  });

  it('always covers the maximum with at most a few whole ticks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (max) => {
        const s = countScale(max);
        expect(s.top).toBeGreaterThanOrEqual(max);
        expect(s.ticks[0]).toBe(0);
        expect(s.ticks.at(-1)).toBe(s.top);
        expect(s.ticks.length).toBeLessThanOrEqual(6);
        for (const t of s.ticks) expect(Number.isInteger(t)).toBe(true);
      }),
    );
  });
});

describe('stackedBars', () => {
  const series = fc
    .tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 80 }))
    .chain(([k, n]) =>
      fc.tuple(
        fc.array(fc.array(fc.nat(50), { minLength: n, maxLength: n }), { minLength: k, maxLength: k }),
        fc.constant(n),
      ),
    );

  it('stacks each bucket’s parts, touching, to exactly its total’s height (property)', () => {
    fc.assert(
      fc.property(series, fc.integer({ min: 200, max: 2000 }), ([values, n], width) => {
        const layout = stackedBars({ width, height: 180, series: values, bucketCount: n, labelWidth: 40 });
        const bottom = layout.plot.top + layout.plot.height;
        for (let i = 0; i < n; i++) {
          const total = values.reduce((sum, s) => sum + s[i]!, 0);
          expect(layout.totals[i]).toBe(total);
          const parts = layout.rects.filter((r) => r.bucket === i);
          expect(parts.map((r) => r.value)).toEqual(values.map((s) => s[i]!).filter((v) => v > 0));
          const height = parts.reduce((sum, r) => sum + r.height, 0);
          expect(close(height, (total / layout.scale.top) * layout.plot.height)).toBe(true);
          let y = bottom;
          for (const r of parts) {
            expect(close(r.y + r.height, y)).toBe(true);
            y = r.y;
          }
          expect(y).toBeGreaterThanOrEqual(layout.plot.top - 1e-6); // never above the plot
        }
        for (const r of layout.rects) {
          expect(r.x).toBeGreaterThanOrEqual(layout.plot.left);
          expect(r.x + r.width).toBeLessThanOrEqual(layout.plot.left + layout.plot.width + 1e-6);
        }
      }),
    );
  });

  it('spaces the time labels so they never overlap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2016 }), fc.integer({ min: 200, max: 3000 }), (n, width) => {
        const layout = stackedBars({ width, height: 160, series: [[]], bucketCount: n, labelWidth: 36 });
        for (let i = 1; i < layout.labels.length; i++) {
          expect(layout.labels[i]!.x - layout.labels[i - 1]!.x).toBeGreaterThanOrEqual(36);
        }
        expect(layout.labels[0]!.bucket).toBe(0); // no firstBucket: counted from the first bar
      }),
    );
    expect(labelStep(60, 1200, 36)).toBe(3);
    // On round times: bucket numbers from the epoch that the step divides.
    const round = stackedBars({
      width: 1242,
      height: 160,
      series: [[]],
      bucketCount: 60,
      labelWidth: 36,
      firstBucket: 1001,
    });
    expect(round.labels.map((l) => (1001 + l.bucket) % 3)).toEqual(round.labels.map(() => 0));
    expect(round.labels[0]!.bucket).toBe(1);
    expect(labelStep(60, 300, 36)).toBe(10);
  });

  it('draws nothing for an empty chart', () => {
    const layout = stackedBars({ width: 600, height: 160, series: [[0, 0, 0]], bucketCount: 3, labelWidth: 36 });
    expect(layout.rects).toEqual([]);
    expect(layout.totals).toEqual([0, 0, 0]);
  });
});

describe('forumBars', () => {
  it('draws assigned, arrived and inside against the capacity, and marks a full forum', () => {
    const layout = forumBars({
      width: 500,
      labelWidth: 100,
      rows: [
        { capacity: 10, assigned: 10, arrived: 4, inside: 0 },
        { capacity: 20, assigned: 5, arrived: 5, inside: 2 },
      ],
    });
    const [full, open] = layout.rows as [(typeof layout.rows)[0], (typeof layout.rows)[0]];
    expect(full.full).toBe(true);
    expect(open.full).toBe(false);
    const span = 500 - 100 - 10;
    expect(open.markX).toBe(100 + span); // the largest capacity spans the width
    expect(full.markX).toBe(100 + span / 2);
    expect(full.bars.map((b) => [b.measure, b.value, b.width])).toEqual([
      ['assigned', 10, span / 2],
      ['arrived', 4, span / 5],
      ['inside', 0, 0],
    ]);
    expect(layout.height).toBeGreaterThan(open.y + open.capacity.height);
  });

  it('shows a forum over its capacity beyond the mark', () => {
    const { rows } = forumBars({
      width: 400,
      labelWidth: 100,
      rows: [{ capacity: 2, assigned: 4, arrived: 1, inside: 1 }],
    });
    expect(rows[0]!.bars[0]!.width).toBeGreaterThan(rows[0]!.capacity.width);
  });
});

describe('series from the timeline', () => {
  const entry = (id: string, deviceId: string, door: string, guestId: string, wallMs: number): TimelineEntry => ({
    id,
    deviceId,
    type: 'check_in',
    guestId,
    hlc: String(wallMs).padStart(16, '0'),
    wallMs,
    payload: { door },
  });
  const now = Date.UTC(2026, 4, 16, 9, 30);

  it('pads arrivals to an hour and keeps the doors’ order; the stacks add up to the arrivals', () => {
    const tl = buildTimeline(
      [
        entry('a', 'dev-n', 'North', 'g1', now - 4 * 60_000),
        entry('b', 'dev-n', 'North', 'g2', now - 3 * 60_000),
        entry('c', 'dev-s', 'South', 'g3', now - 60_000),
      ],
      [],
      300,
      now,
    );
    const a = arrivalSeries(tl, 12, 144);
    expect(a.starts).toHaveLength(12);
    expect(a.series.map((s) => s.name)).toEqual(['North', 'South']);
    for (const s of a.series) expect(s.values).toHaveLength(12);
    expect(a.starts[11]! - a.starts[10]!).toBe(300_000);
    expect(a.series.flatMap((s) => s.values).reduce((x, y) => x + y, 0)).toBe(3);
    const scans = scanSeries(tl);
    expect(scans.starts).toHaveLength(60);
    expect(scans.series.map((s) => [s.name, s.values.reduce((x, y) => x + y, 0)])).toEqual([
      ['North', 2],
      ['South', 1],
    ]);
  });

  it('tells two desks at one door apart', () => {
    const tl = buildTimeline(
      [entry('a', 'dev-one', 'Gate', 'g1', now - 60_000), entry('b', 'dev-two', 'Gate', 'g2', now - 60_000)],
      [],
      300,
      now,
    );
    expect(scanSeries(tl).series.map((s) => s.name)).toEqual(['Gate · dev-one', 'Gate · dev-two']);
  });

  it('keeps only the latest buckets', () => {
    const tl = buildTimeline([entry('a', 'd', 'N', 'g1', now - 3 * 3600_000)], [], 300, now);
    const a = arrivalSeries(tl, 12, 24);
    expect(a.starts).toHaveLength(24);
    expect(a.series[0]!.values.every((v) => v === 0)).toBe(true); // the arrival is before the window
  });

  it('cuts long names', () => {
    expect(shortLabel('Biomedizinische Technik und Forschung', 12)).toBe('Biomedizini…');
    expect(shortLabel('生物医学', 12)).toBe('生物医学');
  });
});
