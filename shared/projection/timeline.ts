import { z } from 'zod';
import { resolveRegister, type AssignmentFact } from '../forums/register.ts';

/**
 * The live pictures of an event, one pure function over the log that the kiosk (its SQLite
 * events) and the server (its PostgreSQL log) both feed, so the organisers' page and the supervisor view
 * draw the same figures:
 * - arrivals per bucket, stacked by door: a guest's arrival is the earliest live (not voided) check-in by
 *   HLC (R11), placed by its wall time and its door — so the buckets add up to "checked in";
 * - scans per minute per desk for the last hour: every check-in and forum-room scan a device made, voided
 *   or duplicate alike (the queue a desk worked through, not the guests it admitted);
 * - forum fill: assigned (the register's winner, R13), arrived (assigned and checked in), inside (the
 *   latest room scan by HLC was "in") against the capacity.
 */

/** One log entry, as both storage layers hold it. */
export interface TimelineEntry {
  id: string;
  deviceId: string;
  type: string;
  guestId: string;
  hlc: string;
  wallMs: number;
  payload: Readonly<Record<string, unknown>>;
}

export interface TimelineForum {
  id: string;
  capacity: number;
}

export const TIMELINE_BUCKET_SECONDS = { min: 60, max: 86_400, default: 300 } as const;
/** At most this many arrival buckets (the latest kept): a week in 5-minute buckets. */
export const MAX_TIMELINE_BUCKETS = 2016;
/** The quiet time after the last arrival that the chart still runs on to "now" (a live event's lull). */
const EXTEND_TO_NOW_MS = 6 * 3600_000;
const MINUTE_MS = 60_000;
export const SCAN_WINDOW_MINUTES = 60;

const countsSchema = z.record(z.string(), z.number().int());

export const TimelineSchema = z.object({
  bucketSeconds: z.number().int(),
  /** Door names in the order the chart stacks them (most arrivals first). */
  doors: z.array(z.string()),
  /** Contiguous buckets from the first arrival on; every door appears in every bucket (0 when none). */
  buckets: z.array(z.object({ start: z.string(), byDoor: countsSchema })),
  /** Devices that scanned, with the door name they last used (the device id when none). */
  desks: z.array(z.object({ deviceId: z.string(), door: z.string() })),
  /** The last hour, one entry per minute, oldest first; keyed by device id. */
  scansPerMinute: z.array(z.object({ start: z.string(), byDesk: countsSchema })),
  forums: z.array(
    z.object({
      forumId: z.string(),
      capacity: z.number().int(),
      assigned: z.number().int(),
      arrived: z.number().int(),
      inside: z.number().int(),
    }),
  ),
});
export type Timeline = z.infer<typeof TimelineSchema>;

/** The bucket length in seconds; `coerce` for a URL's query string. */
export const bucketSecondsSchema = (coerce: boolean) =>
  (coerce ? z.coerce.number() : z.number())
    .int()
    .min(TIMELINE_BUCKET_SECONDS.min)
    .max(TIMELINE_BUCKET_SECONDS.max)
    .default(TIMELINE_BUCKET_SECONDS.default);

export const TimelineQuerySchema = z.object({ bucketSeconds: bucketSecondsSchema(false) });

/** A log row as SQLite (payload as JSON text) or PostgreSQL (payload as an object) returns it. */
export interface TimelineRow {
  id: string;
  device_id: string;
  type: string;
  guest_id: string;
  hlc: string;
  wall_ms: number | string;
  payload: string | Record<string, unknown>;
}

/** The log types the timeline reads, for the storage layers' queries. */
export const TIMELINE_TYPES = `('check_in', 'check_in_void', 'forum_assign', 'forum_entry')`;

export function timelineEntryOf(row: TimelineRow): TimelineEntry {
  return {
    id: row.id,
    deviceId: row.device_id,
    type: row.type,
    guestId: row.guest_id,
    hlc: row.hlc,
    wallMs: Number(row.wall_ms),
    payload: typeof row.payload === 'string' ? (JSON.parse(row.payload) as Record<string, unknown>) : row.payload,
  };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const byHlc = (a: TimelineEntry, b: TimelineEntry): number =>
  a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
const iso = (ms: number): string => new Date(ms).toISOString();

/** The door an arrival counts under: the name the kiosk wrote, or its device id when it wrote none. */
export function doorOf(entry: TimelineEntry): string {
  return str(entry.payload['door']) || entry.deviceId;
}

export function buildTimeline(
  entries: readonly TimelineEntry[],
  forums: readonly TimelineForum[],
  bucketSeconds: number,
  nowMs: number,
): Timeline {
  const log = [...entries].sort(byHlc);
  const voided = new Set<string>();
  for (const e of log) if (e.type === 'check_in_void') voided.add(str(e.payload['voids']));

  const arrival = new Map<string, TimelineEntry>();
  const forumIds = new Set(forums.map((f) => f.id));
  const assignments = new Map<string, AssignmentFact[]>();
  const lastRoomScan = new Map<string, Map<string, boolean>>();
  const deskDoor = new Map<string, string>();
  const scans: TimelineEntry[] = [];
  for (const e of log) {
    if (e.type === 'check_in') {
      scans.push(e);
      if (str(e.payload['door']) !== '') deskDoor.set(e.deviceId, str(e.payload['door']));
      else if (!deskDoor.has(e.deviceId)) deskDoor.set(e.deviceId, e.deviceId);
      if (!voided.has(e.id) && !arrival.has(e.guestId)) arrival.set(e.guestId, e);
    } else if (e.type === 'forum_entry') {
      scans.push(e);
      if (!deskDoor.has(e.deviceId)) deskDoor.set(e.deviceId, e.deviceId);
      const forumId = str(e.payload['forumId']);
      if (!forumIds.has(forumId)) continue;
      const rooms = lastRoomScan.get(e.guestId) ?? new Map<string, boolean>();
      rooms.set(forumId, e.payload['direction'] !== 'out'); // the log is in HLC order: the last one wins
      lastRoomScan.set(e.guestId, rooms);
    } else if (e.type === 'forum_assign') {
      const forumId = str(e.payload['forumId']);
      if (!forumIds.has(forumId)) continue; // kept unapplied, as on the kiosks
      const replaces = Array.isArray(e.payload['replaces']) ? e.payload['replaces'].map(String) : [];
      const list = assignments.get(e.guestId) ?? [];
      list.push({ factId: e.id, forumId, hlc: e.hlc, deviceId: e.deviceId, replaces });
      assignments.set(e.guestId, list);
    }
  }

  // Arrivals per bucket, stacked by door.
  const bucketMs = bucketSeconds * 1000;
  const perDoor = new Map<string, number>();
  for (const a of arrival.values()) perDoor.set(doorOf(a), (perDoor.get(doorOf(a)) ?? 0) + 1);
  const doors = [...perDoor.keys()].sort((a, b) => perDoor.get(b)! - perDoor.get(a)! || (a < b ? -1 : 1));
  const buckets: Timeline['buckets'] = [];
  if (arrival.size > 0) {
    const walls = [...arrival.values()].map((a) => a.wallMs);
    const first = Math.floor(Math.min(...walls) / bucketMs);
    const lastArrival = Math.max(...walls);
    const end = nowMs >= lastArrival && nowMs - lastArrival <= EXTEND_TO_NOW_MS ? nowMs : lastArrival;
    const last = Math.floor(end / bucketMs);
    const start = Math.max(first, last - MAX_TIMELINE_BUCKETS + 1);
    for (let b = start; b <= last; b++) {
      buckets.push({ start: iso(b * bucketMs), byDoor: Object.fromEntries(doors.map((d) => [d, 0])) });
    }
    for (const a of arrival.values()) {
      const index = Math.floor(a.wallMs / bucketMs) - start;
      if (index >= 0 && index < buckets.length) buckets[index]!.byDoor[doorOf(a)]! += 1;
    }
  }

  // Scans per minute per desk, the last hour up to and including the current minute.
  const desks = [...deskDoor]
    .map(([deviceId, door]) => ({ deviceId, door }))
    .sort((a, b) => cmp(a.door, b.door) || cmp(a.deviceId, b.deviceId));
  const firstMinute = Math.floor(nowMs / MINUTE_MS) - SCAN_WINDOW_MINUTES + 1;
  const scansPerMinute: Timeline['scansPerMinute'] = [];
  for (let m = 0; m < SCAN_WINDOW_MINUTES; m++) {
    scansPerMinute.push({
      start: iso((firstMinute + m) * MINUTE_MS),
      byDesk: Object.fromEntries(desks.map((d) => [d.deviceId, 0])),
    });
  }
  for (const s of scans) {
    const index = Math.floor(s.wallMs / MINUTE_MS) - firstMinute;
    if (index >= 0 && index < SCAN_WINDOW_MINUTES) scansPerMinute[index]!.byDesk[s.deviceId]! += 1;
  }

  // Forum fill.
  const winners = new Map<string, string>();
  for (const [guestId, list] of assignments) {
    const winner = resolveRegister(list).winner;
    if (winner !== null) winners.set(guestId, winner.forumId);
  }
  const fill = forums.map((f) => ({ forumId: f.id, capacity: f.capacity, assigned: 0, arrived: 0, inside: 0 }));
  const fillOf = new Map(fill.map((f) => [f.forumId, f]));
  for (const [guestId, forumId] of winners) {
    const f = fillOf.get(forumId)!;
    f.assigned += 1;
    if (arrival.has(guestId)) f.arrived += 1;
  }
  for (const rooms of lastRoomScan.values()) {
    for (const [forumId, inside] of rooms) if (inside) fillOf.get(forumId)!.inside += 1;
  }

  return { bucketSeconds, doors, buckets, desks, scansPerMinute, forums: fill };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
