import type { Database } from 'better-sqlite3';

/**
 * Two B-trees fewer in every fact's commit, for the door's latency. `facts` was a rowid table with three
 * more B-trees: the `id` key, UNIQUE (device_id, device_seq) and `facts_by_hlc`; a scan's commit wrote a
 * page in each. Now the table itself is kept in (device_id, device_seq) order (WITHOUT ROWID), which is
 * what the unique index was: a kiosk's own facts append at the end of its device's range, pulled facts
 * of each device arrive in their device's order, and the push reads its outbox in that order. `id` stays
 * UNIQUE (every projection's fact_id points at it). `facts_by_hlc` goes: its one reader on a hot path
 * was cold start's clock, which now reads each device's last fact (FactLog), and an export sorts.
 * Same columns, checks and answers; a fact had no meaningful rowid (closing's bundle marker counts facts
 * instead, the same number for an append-only log).
 *
 * SQLite cannot alter a table's kind, so it is rebuilt inside the migration's transaction as migration 19
 * did (foreign keys deferred: dropping `facts` counts the projections' rows as orphans, inserting the same
 * facts back counts them found again, so the commit still proves every reference holds). Every column that
 * points at facts (id) is a key or UNIQUE, so each of those counts is an index lookup.
 */
export function up(db: Database): void {
  db.pragma('defer_foreign_keys = ON'); // reset by SQLite at the end of the transaction
  db.exec(`
    CREATE TABLE facts_before AS
      SELECT id, device_id, device_seq, type, guest_id, hlc, wall_ms, actor, payload, received_ms FROM facts;
    DROP TABLE facts;
    CREATE TABLE facts (
      id TEXT NOT NULL UNIQUE,
      device_id TEXT NOT NULL,
      device_seq INTEGER NOT NULL CHECK (device_seq >= 1),
      type TEXT NOT NULL CHECK (type IN ('check_in', 'check_in_void', 'forum_assign', 'walk_in', 'guest_edit', 'badge_print', 'note', 'forum_entry')),
      guest_id TEXT NOT NULL,
      hlc TEXT NOT NULL,
      wall_ms INTEGER NOT NULL,
      actor TEXT NOT NULL,
      payload TEXT NOT NULL CHECK (json_valid(payload)),
      received_ms INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (device_id, device_seq)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO facts (id, device_id, device_seq, type, guest_id, hlc, wall_ms, actor, payload, received_ms)
      SELECT id, device_id, device_seq, type, guest_id, hlc, wall_ms, actor, payload, received_ms
      FROM facts_before ORDER BY device_id, device_seq;
    DROP TABLE facts_before;
    CREATE INDEX facts_by_voided ON facts (json_extract(payload, '$.voids')) WHERE type = 'check_in_void';
  `);
}
