import type { Database } from 'better-sqlite3';
import type { Handlers } from '../../../shared/contract.ts';
import { buildTimeline, type Timeline, type TimelineEntry } from '../../../shared/projection/timeline.ts';

/**
 * The supervisor view's live pictures (issue 17): this kiosk's log — its own scans and every door's it
 * pulled — through the same projection the server's organisers' page uses, so both draw the same figures.
 */
export function kioskTimeline(db: Database, bucketSeconds: number, nowMs: number): Timeline {
  const rows = db
    .prepare(
      `SELECT id, device_id, type, guest_id, hlc, wall_ms, payload FROM events
       WHERE type IN ('check_in', 'check_in_void', 'forum_assign', 'forum_entry')`,
    )
    .all() as Array<{
    id: string;
    device_id: string;
    type: string;
    guest_id: string;
    hlc: string;
    wall_ms: number;
    payload: string;
  }>;
  const entries: TimelineEntry[] = rows.map((r) => ({
    id: r.id,
    deviceId: r.device_id,
    type: r.type,
    guestId: r.guest_id,
    hlc: r.hlc,
    wallMs: r.wall_ms,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
  }));
  const forums = db.prepare(`SELECT id, capacity FROM forums WHERE removed = 0 ORDER BY position, id`).all() as Array<{
    id: string;
    capacity: number;
  }>;
  return buildTimeline(entries, forums, bucketSeconds, nowMs);
}

export function statsTimelineHandlers(deps: { db: Database; now: () => number }): Pick<Handlers, 'stats.timeline'> {
  return { 'stats.timeline': ({ bucketSeconds }) => kioskTimeline(deps.db, bucketSeconds, deps.now()) };
}
