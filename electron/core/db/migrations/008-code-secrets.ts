import type { Database } from 'better-sqlite3';

/**
 * Short badge codes (docs/badge-codes.md, format 2). `code_secrets` holds the event's HMAC secrets by
 * generation, sealed with the kiosk's secret box (never plain at rest). `roster_code_index` maps each
 * roster badge code this kiosk can compute back to its guest; it is derived (rebuilt from the guests and
 * the secrets at any time) and filled incrementally, by guests' rowid, as codes are looked up.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE code_secrets (
      generation INTEGER PRIMARY KEY CHECK (generation BETWEEN 1 AND 99),
      sealed_secret TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('active', 'revoked', 'retired')),
      created_ms INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE roster_code_index (
      code TEXT PRIMARY KEY,
      guest_id TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE roster_code_coverage (
      generation INTEGER PRIMARY KEY,
      max_guest_rowid INTEGER NOT NULL
    ) STRICT;
  `);
}
