import type { Database } from 'better-sqlite3';

/**
 * One word per thing: the conference is the event; an entry of the log is a fact (something that happened
 * at a door, never changed afterwards). The log table and every column naming one of its entries are
 * renamed. SQLite's RENAME rewrites the foreign keys and indexes that point at them; the indexes named
 * after the old table are made again under their new names.
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE events RENAME TO facts;
    DROP INDEX events_by_hlc;
    CREATE INDEX facts_by_hlc ON facts (hlc);
    DROP INDEX events_by_voided;
    CREATE INDEX facts_by_voided ON facts (json_extract(payload, '$.voids')) WHERE type = 'check_in_void';

    ALTER TABLE parked_events RENAME TO parked_facts;
    ALTER TABLE parked_facts RENAME COLUMN event_id TO fact_id;
    DROP INDEX parked_events_once;
    CREATE UNIQUE INDEX parked_facts_once ON parked_facts (fact_id, device_id, device_seq, reason);

    ALTER TABLE checkins RENAME COLUMN event_id TO fact_id;
    ALTER TABLE checkin_voids RENAME COLUMN checkin_event_id TO checkin_fact_id;
    ALTER TABLE checkin_voids RENAME COLUMN void_event_id TO void_fact_id;
    ALTER TABLE attendance RENAME COLUMN first_event_id TO first_fact_id;
    ALTER TABLE forum_assignments RENAME COLUMN event_id TO fact_id;
    ALTER TABLE guest_forum RENAME COLUMN event_id TO fact_id;
    ALTER TABLE forum_entries RENAME COLUMN event_id TO fact_id;
    ALTER TABLE sync_rejections RENAME COLUMN event_id TO fact_id;
    ALTER TABLE conflict_reviews RENAME COLUMN event_ids TO fact_ids;
  `);
}
