import type { Database } from 'better-sqlite3';

/**
 * Sync with the central server: the time the server received a pulled event, events the server refused
 * (kept and shown to staff, never deleted — R6), and staff reviews of duplicates and forum conflicts.
 * A review records which events it saw, so a conflict that grows later is open again.
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE events ADD COLUMN received_ms INTEGER NOT NULL DEFAULT 0;
    -- A pulled check-in looks for a void that arrived before it; without this, every one scans the log.
    CREATE INDEX events_by_voided ON events (json_extract(payload, '$.voids')) WHERE type = 'check_in_void';

    -- Presence in a room follows the latest entry scan of that guest and room, looked up per pulled entry.
    CREATE INDEX forum_entries_by_guest_forum ON forum_entries (guest_id, forum_id, hlc);

    CREATE TABLE sync_rejections (
      event_id TEXT PRIMARY KEY REFERENCES events (id),
      reason TEXT NOT NULL,
      wall_ms INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE conflict_reviews (
      kind TEXT NOT NULL CHECK (kind IN ('duplicate', 'forum')),
      guest_id TEXT NOT NULL,
      event_ids TEXT NOT NULL CHECK (json_valid(event_ids)),
      actor TEXT NOT NULL,
      wall_ms INTEGER NOT NULL,
      PRIMARY KEY (kind, guest_id)
    ) STRICT;
  `);
}
