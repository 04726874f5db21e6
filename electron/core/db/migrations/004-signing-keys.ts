import type { Database } from 'better-sqlite3';

/**
 * Badge-code keys: event keys (sign roster badges) and device keys (sign walk-in badges offline,
 * certified by an event key). A kiosk may hold only the public half of a key (private_key empty), and
 * keys of other kiosks appear here only to be revoked. Revoked guest codes are listed by guest.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE signing_keys (
      key_id INTEGER PRIMARY KEY CHECK (key_id BETWEEN 1 AND 65535),
      kind TEXT NOT NULL CHECK (kind IN ('event', 'device')),
      public_key BLOB NOT NULL,
      private_key BLOB NOT NULL,
      certificate BLOB NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('active', 'retired', 'revoked')),
      created_ms INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE revoked_codes (
      guest_id TEXT PRIMARY KEY,
      reason TEXT NOT NULL,
      actor TEXT NOT NULL,
      wall_ms INTEGER NOT NULL
    ) STRICT;
  `);
}
