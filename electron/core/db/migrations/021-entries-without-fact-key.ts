import type { Database } from 'better-sqlite3';

/**
 * `forum_entries` without its key on `fact_id`: no reader looks an entry up by its fact (a guest's rooms,
 * the latest scan of a guest at a room: `forum_entries_by_guest_forum`), and no two rows can share a fact
 * (an entry is written only with its fact, whose id `facts` keeps unique; the foreign key stays). That key
 * was a B-tree of random ids, one more page to rewrite per entry at every COMMIT: a first pull, applied in
 * slices of 1,000–2,500 facts, wrote 20–30% less WAL and spent ~10% less CPU without it
 * (tests/bench/pull-apply-probe.ts). The rows are copied in their order; one transaction (the runner's).
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE forum_entries_keyed AS SELECT * FROM forum_entries;
    DROP TABLE forum_entries;
    CREATE TABLE forum_entries (
      fact_id TEXT NOT NULL REFERENCES facts (id),
      guest_id TEXT NOT NULL REFERENCES guests (id),
      forum_id TEXT NOT NULL REFERENCES forums (id),
      direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
      assigned_forum_id TEXT NOT NULL,
      admitted_anyway INTEGER NOT NULL CHECK (admitted_anyway IN (0, 1)),
      device_id TEXT NOT NULL,
      hlc TEXT NOT NULL,
      wall_ms INTEGER NOT NULL
    ) STRICT;
    INSERT INTO forum_entries (fact_id, guest_id, forum_id, direction, assigned_forum_id, admitted_anyway, device_id, hlc, wall_ms)
      SELECT fact_id, guest_id, forum_id, direction, assigned_forum_id, admitted_anyway, device_id, hlc, wall_ms
      FROM forum_entries_keyed ORDER BY rowid;
    DROP TABLE forum_entries_keyed;
    CREATE INDEX forum_entries_by_guest_forum ON forum_entries (guest_id, forum_id, hlc);
  `);
}
