import type { Database } from 'better-sqlite3';

/**
 * A pulled event this kiosk cannot apply (it fails its type's schema, or its clock is far off)
 * is parked here instead of stopping every later pull: the cursor moves on, staff see it on the
 * Conflicts screen. Only what identifies it is kept (a hostile event may be megabytes); the server still
 * holds the event itself. `event_id` may be '' when the event had no usable id.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE parked_events (
      id INTEGER PRIMARY KEY,
      event_id TEXT NOT NULL,
      device_id TEXT NOT NULL,
      device_seq INTEGER NOT NULL,
      type TEXT NOT NULL,
      guest_id TEXT NOT NULL,
      reason TEXT NOT NULL,
      detail TEXT NOT NULL,
      received_ms INTEGER NOT NULL,
      parked_ms INTEGER NOT NULL
    ) STRICT;
    -- A replayed page parks an event once.
    CREATE UNIQUE INDEX parked_events_once ON parked_events (event_id, device_id, device_seq, reason);
  `);
}
