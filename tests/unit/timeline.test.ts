import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTimeline, SCAN_WINDOW_MINUTES, type TimelineEntry } from '../../shared/projection/timeline.ts';

/**
 * The timeline (issue 17) against a brute-force count over random histories: every figure recounted from
 * the raw entries by the plainest rule, in any delivery order.
 */
const DEVICES = ['dev-a', 'dev-b', 'dev-c'];
const DOORS = ['North', 'South', ''];
const GUESTS = ['g1', 'g2', 'g3', 'g4', 'g5', 'g6'];
const FORUMS = [
  { id: 'bio', capacity: 2 },
  { id: 'it', capacity: 3 },
];
const DAY_START = Date.UTC(2026, 4, 16, 0, 0, 0);
const DAY_MS = 24 * 3600_000;

type Draft =
  | { kind: 'check_in'; device: number; door: number; guest: number; wall: number; hlc: number }
  | { kind: 'void'; device: number; target: number; wall: number; hlc: number }
  | { kind: 'assign'; device: number; guest: number; forum: number; wall: number; hlc: number }
  | { kind: 'entry'; device: number; guest: number; forum: number; out: boolean; wall: number; hlc: number };

const common = {
  device: fc.integer({ min: 0, max: DEVICES.length - 1 }),
  wall: fc.integer({ min: 0, max: DAY_MS - 1 }),
  hlc: fc.integer({ min: 0, max: 400 }),
};
const draft: fc.Arbitrary<Draft> = fc.oneof(
  fc.record({
    kind: fc.constant('check_in' as const),
    ...common,
    door: fc.integer({ min: 0, max: 2 }),
    guest: fc.integer({ min: 0, max: 5 }),
  }),
  fc.record({ kind: fc.constant('void' as const), ...common, target: fc.nat(60) }),
  fc.record({ kind: fc.constant('assign' as const), ...common, guest: fc.nat(5), forum: fc.nat(2) }),
  fc.record({ kind: fc.constant('entry' as const), ...common, guest: fc.nat(5), forum: fc.nat(2), out: fc.boolean() }),
);

/** Entries from drafts: each assignment replaces every earlier one of its guest, so the latest HLC wins. */
function materialise(drafts: Draft[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const forumId = (i: number) => FORUMS[i]?.id ?? 'gone'; // index 2: a forum the event does not have
  drafts.forEach((d, i) => {
    const base = {
      id: `e${String(i).padStart(3, '0')}`,
      deviceId: DEVICES[d.device]!,
      hlc: `${String(d.hlc).padStart(6, '0')}:${d.device}`,
      wallMs: DAY_START + d.wall,
    };
    if (d.kind === 'check_in') {
      out.push({ ...base, type: 'check_in', guestId: GUESTS[d.guest]!, payload: { door: DOORS[d.door]! } });
    } else if (d.kind === 'void') {
      out.push({
        ...base,
        type: 'check_in_void',
        guestId: '',
        payload: { voids: `e${String(d.target).padStart(3, '0')}` },
      });
    } else if (d.kind === 'assign') {
      const guestId = GUESTS[d.guest]!;
      const replaces = out.filter((e) => e.type === 'forum_assign' && e.guestId === guestId).map((e) => e.id);
      // Keep "replaces earlier" true in HLC order too: an assignment always comes after those it replaces.
      const after = out.filter((e) => replaces.includes(e.id)).reduce((m, e) => (e.hlc > m ? e.hlc : m), '');
      const hlc = after === '' ? base.hlc : `${after}+`;
      out.push({ ...base, hlc, type: 'forum_assign', guestId, payload: { forumId: forumId(d.forum), replaces } });
    } else {
      out.push({
        ...base,
        type: 'forum_entry',
        guestId: GUESTS[d.guest]!,
        payload: { forumId: forumId(d.forum), direction: d.out ? 'out' : 'in' },
      });
    }
  });
  return out;
}

const before = (a: TimelineEntry, b: TimelineEntry) => a.hlc < b.hlc || (a.hlc === b.hlc && a.id < b.id);

function bruteArrivals(entries: TimelineEntry[]): TimelineEntry[] {
  const voided = new Set(entries.filter((e) => e.type === 'check_in_void').map((e) => e.payload['voids']));
  const arrivals: TimelineEntry[] = [];
  for (const guest of GUESTS) {
    const live = entries.filter((e) => e.type === 'check_in' && e.guestId === guest && !voided.has(e.id));
    let first: TimelineEntry | undefined;
    for (const e of live) if (first === undefined || before(e, first)) first = e;
    if (first !== undefined) arrivals.push(first);
  }
  return arrivals;
}

describe('timeline projection', () => {
  it('equals a brute-force count over random histories, in any delivery order', () => {
    fc.assert(
      fc.property(
        fc.array(draft, { maxLength: 60 }),
        fc.constantFrom(60, 300, 900, 3600),
        fc.integer({ min: 0, max: DAY_MS + 2 * 3600_000 }),
        fc.infiniteStream(fc.nat()),
        (drafts, bucketSeconds, nowOffset, order) => {
          const entries = materialise(drafts);
          const shuffled = entries
            .map((e) => [order.next().value, e] as const)
            .sort((a, b) => a[0] - b[0])
            .map(([, e]) => e);
          const nowMs = DAY_START + nowOffset;
          const t = buildTimeline(shuffled, FORUMS, bucketSeconds, nowMs);

          // Arrivals: each bucket and door holds exactly the guests who arrived there then.
          const arrivals = bruteArrivals(entries);
          const bucketMs = bucketSeconds * 1000;
          for (const b of t.buckets) {
            const start = Date.parse(b.start);
            for (const door of t.doors) {
              const expected = arrivals.filter(
                (a) =>
                  Math.floor(a.wallMs / bucketMs) * bucketMs === start && (a.payload['door'] || a.deviceId) === door,
              ).length;
              expect(b.byDoor[door]).toBe(expected);
            }
          }
          const total = t.buckets.reduce((n, b) => n + Object.values(b.byDoor).reduce((x, y) => x + y, 0), 0);
          expect(total).toBe(arrivals.length);
          for (let i = 1; i < t.buckets.length; i++) {
            expect(Date.parse(t.buckets[i]!.start) - Date.parse(t.buckets[i - 1]!.start)).toBe(bucketMs);
          }

          // Scans per minute per desk, the last hour.
          expect(t.scansPerMinute).toHaveLength(SCAN_WINDOW_MINUTES);
          const lastMinute = Date.parse(t.scansPerMinute.at(-1)!.start);
          expect(lastMinute).toBeLessThanOrEqual(nowMs);
          expect(nowMs - lastMinute).toBeLessThan(60_000);
          for (const m of t.scansPerMinute) {
            const start = Date.parse(m.start);
            for (const device of DEVICES) {
              const expected = entries.filter(
                (e) =>
                  (e.type === 'check_in' || e.type === 'forum_entry') &&
                  e.deviceId === device &&
                  e.wallMs >= start &&
                  e.wallMs < start + 60_000,
              ).length;
              expect(m.byDesk[device] ?? 0).toBe(expected);
            }
          }

          // Forum fill.
          for (const f of FORUMS) {
            const row = t.forums.find((r) => r.forumId === f.id)!;
            let assigned = 0;
            let arrived = 0;
            let inside = 0;
            for (const guest of GUESTS) {
              const own = entries.filter(
                (e) =>
                  e.type === 'forum_assign' && e.guestId === guest && FORUMS.some((x) => x.id === e.payload['forumId']),
              );
              let latest: TimelineEntry | undefined;
              for (const e of own) if (latest === undefined || before(latest, e)) latest = e;
              if (latest?.payload['forumId'] === f.id) {
                assigned += 1;
                if (arrivals.some((a) => a.guestId === guest)) arrived += 1;
              }
              let scan: TimelineEntry | undefined;
              for (const e of entries) {
                if (e.type === 'forum_entry' && e.guestId === guest && e.payload['forumId'] === f.id) {
                  if (scan === undefined || before(scan, e)) scan = e;
                }
              }
              if (scan !== undefined && scan.payload['direction'] === 'in') inside += 1;
            }
            expect(row).toEqual({ forumId: f.id, capacity: f.capacity, assigned, arrived, inside });
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is empty before the first arrival, and runs on to now through a lull', () => {
    expect(buildTimeline([], FORUMS, 300, DAY_START).buckets).toEqual([]);
    const one: TimelineEntry = {
      id: 'e1',
      deviceId: 'dev-a',
      type: 'check_in',
      guestId: 'g1',
      hlc: '000001:0',
      wallMs: DAY_START + 9 * 3600_000 + 2 * 60_000,
      payload: { door: 'North' },
    };
    const t = buildTimeline([one], FORUMS, 300, DAY_START + 10 * 3600_000 + 60_000);
    expect(t.buckets[0]).toEqual({ start: '2026-05-16T09:00:00.000Z', byDoor: { North: 1 } });
    expect(t.buckets.at(-1)!.start).toBe('2026-05-16T10:00:00.000Z');
    expect(t.buckets).toHaveLength(13);
    expect(t.desks).toEqual([{ deviceId: 'dev-a', door: 'North' }]);
  });
});
