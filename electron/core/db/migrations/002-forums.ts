import type { Database } from 'better-sqlite3';

/**
 * Sub-forums: ranked preferences, the assignment register (every `forum_assign` event, with the
 * assignments it replaces), the winning assignment per guest, entries into forum rooms, and per-forum
 * counters so the door screen reads live seats in microseconds instead of counting 250,000 rows.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE guest_forum_preferences (
      guest_id TEXT NOT NULL REFERENCES guests (id),
      rank INTEGER NOT NULL CHECK (rank >= 1),
      forum_id TEXT NOT NULL REFERENCES forums (id),
      PRIMARY KEY (guest_id, rank)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE forum_assignments (
      event_id TEXT PRIMARY KEY REFERENCES events (id),
      guest_id TEXT NOT NULL REFERENCES guests (id),
      forum_id TEXT NOT NULL REFERENCES forums (id),
      device_id TEXT NOT NULL,
      hlc TEXT NOT NULL,
      wall_ms INTEGER NOT NULL,
      replaces TEXT NOT NULL CHECK (json_valid(replaces)),
      override_reason TEXT NOT NULL,
      actor TEXT NOT NULL
    ) STRICT;
    CREATE INDEX forum_assignments_by_guest ON forum_assignments (guest_id);

    -- The register's winner per guest (shared/forums/register.ts); conflicts = concurrent losing heads.
    CREATE TABLE guest_forum (
      guest_id TEXT PRIMARY KEY REFERENCES guests (id),
      forum_id TEXT NOT NULL REFERENCES forums (id),
      event_id TEXT NOT NULL REFERENCES forum_assignments (event_id),
      conflicts INTEGER NOT NULL CHECK (conflicts >= 0)
    ) STRICT;
    CREATE INDEX guest_forum_by_forum ON guest_forum (forum_id);

    CREATE TABLE forum_entries (
      event_id TEXT PRIMARY KEY REFERENCES events (id),
      guest_id TEXT NOT NULL REFERENCES guests (id),
      forum_id TEXT NOT NULL REFERENCES forums (id),
      direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
      assigned_forum_id TEXT NOT NULL,
      admitted_anyway INTEGER NOT NULL CHECK (admitted_anyway IN (0, 1)),
      device_id TEXT NOT NULL,
      hlc TEXT NOT NULL,
      wall_ms INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX forum_entries_by_guest ON forum_entries (guest_id, hlc);

    -- Who is inside which room now (entry scans add, exit scans remove).
    CREATE TABLE forum_presence (
      guest_id TEXT NOT NULL REFERENCES guests (id),
      forum_id TEXT NOT NULL REFERENCES forums (id),
      PRIMARY KEY (guest_id, forum_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE forum_counts (
      forum_id TEXT PRIMARY KEY REFERENCES forums (id),
      assigned INTEGER NOT NULL CHECK (assigned >= 0),
      inside INTEGER NOT NULL CHECK (inside >= 0)
    ) STRICT;
    INSERT INTO forum_counts (forum_id, assigned, inside) SELECT id, 0, 0 FROM forums;
  `);
}
