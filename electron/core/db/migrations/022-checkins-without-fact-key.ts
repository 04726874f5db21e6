import type { Database } from 'better-sqlite3';

/**
 * One B-tree fewer in every check-in's commit, for the door's latency: `checkins` loses its UNIQUE key on
 * `fact_id`, a B-tree of random ids that took one more page in every scan's WAL commit and fsync (a scan
 * wrote 6 B-trees: facts, its id key, checkins, this key, checkins_by_guest, attendance; now 5). A check-in
 * is found by its fact through `facts` (its id key gives the fact's HLC, and `checkins` is keyed by
 * (hlc, fact_id)), so `attendance.first_fact_id` and `checkin_voids.checkin_fact_id` point at `facts (id)`
 * now (a foreign key needs a unique parent). No two check-ins can share a fact: one is written only with its
 * fact, and `facts` keeps ids unique. A check-in's HLC is its fact's HLC (both written from the one fact).
 *
 * SQLite cannot drop a table constraint, so the three tables are rebuilt in the migration's transaction as
 * migration 19 did: the two that point into `checkins` are set aside first, with foreign keys deferred, so
 * the commit still proves that every reference holds. Same columns and rows.
 */
export function up(db: Database): void {
  db.pragma('defer_foreign_keys = ON'); // reset by SQLite at the end of the transaction
  db.exec(`
    CREATE TABLE attendance_before AS SELECT guest_id, live_checkins, first_fact_id FROM attendance;
    DROP TABLE attendance;
    CREATE TABLE checkin_voids_before AS SELECT checkin_fact_id, void_fact_id, actor, wall_ms FROM checkin_voids;
    DROP TABLE checkin_voids;

    CREATE TABLE checkins_before AS
      SELECT fact_id, guest_id, device_id, door, method, hlc, wall_ms FROM checkins;
    DROP TABLE checkins;
    CREATE TABLE checkins (
      fact_id TEXT NOT NULL REFERENCES facts (id),
      guest_id TEXT NOT NULL REFERENCES guests (id),
      device_id TEXT NOT NULL,
      door TEXT NOT NULL,
      method TEXT NOT NULL CHECK (method IN ('scan', 'search', 'walk_in')),
      hlc TEXT NOT NULL,
      wall_ms INTEGER NOT NULL,
      PRIMARY KEY (hlc, fact_id)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO checkins (fact_id, guest_id, device_id, door, method, hlc, wall_ms)
      SELECT fact_id, guest_id, device_id, door, method, hlc, wall_ms FROM checkins_before ORDER BY hlc, fact_id;
    DROP TABLE checkins_before;
    CREATE INDEX checkins_by_guest ON checkins (guest_id, hlc);

    CREATE TABLE checkin_voids (
      checkin_fact_id TEXT PRIMARY KEY REFERENCES facts (id),
      void_fact_id TEXT NOT NULL UNIQUE REFERENCES facts (id),
      actor TEXT NOT NULL,
      wall_ms INTEGER NOT NULL
    ) STRICT;
    INSERT INTO checkin_voids (checkin_fact_id, void_fact_id, actor, wall_ms)
      SELECT checkin_fact_id, void_fact_id, actor, wall_ms FROM checkin_voids_before ORDER BY checkin_fact_id;
    DROP TABLE checkin_voids_before;

    -- One row per guest who is in: how many live (unvoided) check-ins, and the earliest by HLC.
    CREATE TABLE attendance (
      guest_id TEXT PRIMARY KEY REFERENCES guests (id),
      live_checkins INTEGER NOT NULL CHECK (live_checkins > 0),
      first_fact_id TEXT NOT NULL REFERENCES facts (id)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO attendance (guest_id, live_checkins, first_fact_id)
      SELECT guest_id, live_checkins, first_fact_id FROM attendance_before ORDER BY guest_id;
    DROP TABLE attendance_before;
  `);
}
