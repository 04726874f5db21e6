import { buildTimeline, type Timeline, type TimelineEntry } from '../../shared/projection/timeline.ts';
import { readPackage } from './events.ts';
import type { Sql } from './sql.ts';

/** The event's live pictures (issue 17) from the server's log, by the same projection as the kiosks'. */
export async function eventTimeline(
  sql: Sql,
  eventId: string,
  bucketSeconds: number,
  nowMs: number,
): Promise<Timeline | null> {
  const stored = await readPackage(sql, eventId);
  if (stored === null) return null;
  const rows = await sql.query<{
    id: string;
    device_id: string;
    type: string;
    guest_id: string;
    hlc: string;
    wall_ms: number;
    payload: Record<string, unknown>;
  }>(
    `SELECT event_id::text AS id, device_id, type, guest_id, hlc, wall_ms, payload FROM event_log
     WHERE conference_id = $1 AND type IN ('check_in', 'check_in_void', 'forum_assign', 'forum_entry')`,
    [eventId],
  );
  const entries: TimelineEntry[] = rows.map((r) => ({
    id: r.id,
    deviceId: r.device_id,
    type: r.type,
    guestId: r.guest_id,
    hlc: r.hlc,
    wallMs: Number(r.wall_ms),
    payload: r.payload,
  }));
  const forums = stored.package.event.forums.map((f) => ({ id: f.id, capacity: f.capacity }));
  return buildTimeline(entries, forums, bucketSeconds, nowMs);
}
