import type { Database } from 'better-sqlite3';

/**
 * Answers to calls that carried an idempotency key, so a client that retries after a lost answer (the
 * host was killed after COMMIT, the connection dropped) gets the first answer instead of a second walk-in.
 * Written in the same transaction as the call's own changes; kept a day.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE idempotency_keys (
      key TEXT PRIMARY KEY,
      method TEXT NOT NULL,
      result TEXT NOT NULL,
      wall_ms INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX idempotency_keys_by_time ON idempotency_keys (wall_ms);
  `);
}
