import type { Database } from 'better-sqlite3';
import type { Handlers } from '../../../shared/contract.ts';
import {
  buildTimeline,
  TIMELINE_TYPES,
  timelineEntryOf,
  type Timeline,
  type TimelineForum,
  type TimelineRow,
} from '../../../shared/projection/timeline.ts';

/**
 * The supervisor view's live pictures: this kiosk's log — its own scans and every door's it
 * pulled — through the same projection the server's organisers' page uses, so both draw the same figures.
 */
export function kioskTimeline(db: Database, bucketSeconds: number, nowMs: number): Timeline {
  const rows = db
    .prepare(`SELECT id, device_id, type, guest_id, hlc, wall_ms, payload FROM facts WHERE type IN ${TIMELINE_TYPES}`)
    .all() as TimelineRow[];
  const forums = db
    .prepare(`SELECT id, capacity FROM forums WHERE removed = 0 ORDER BY position, id`)
    .all() as TimelineForum[];
  return buildTimeline(rows.map(timelineEntryOf), forums, bucketSeconds, nowMs);
}

export function statsTimelineHandlers(deps: { db: Database; now: () => number }): Pick<Handlers, 'stats.timeline'> {
  return { 'stats.timeline': ({ bucketSeconds }) => kioskTimeline(deps.db, bucketSeconds, deps.now()) };
}
