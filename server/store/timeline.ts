import {
  buildTimeline,
  TIMELINE_TYPES,
  timelineEntryOf,
  type Timeline,
  type TimelineRow,
} from '../../shared/projection/timeline.ts';
import { readPackage } from './events.ts';
import type { Sql } from './sql.ts';

/** The event's live pictures from the server's log, by the same projection as the kiosks'. */
export async function eventTimeline(
  sql: Sql,
  eventId: string,
  bucketSeconds: number,
  nowMs: number,
): Promise<Timeline | null> {
  const stored = await readPackage(sql, eventId);
  if (stored === null) return null;
  const rows = await sql.query<TimelineRow>(
    `SELECT fact_id::text AS id, device_id, type, guest_id, hlc, wall_ms, payload FROM fact_log
     WHERE conference_id = $1 AND type IN ${TIMELINE_TYPES}`,
    [eventId],
  );
  const forums = stored.package.event.forums.map((f) => ({ id: f.id, capacity: f.capacity }));
  return buildTimeline(rows.map(timelineEntryOf), forums, bucketSeconds, nowMs);
}
