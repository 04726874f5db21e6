import type { Database } from 'better-sqlite3';

/**
 * Runs `run` (a transaction) without syncing at its COMMIT (synchronous = NORMAL), and puts FULL back
 * before anything else can run on the connection, so every scan still commits with FULL (R2). Only for
 * writes that a power loss may take back: in WAL mode it loses the last transactions, never reorders
 * them, and the next synced COMMIT makes these durable too. A big import's chunks (their recovery
 * record, committed with FULL first, undoes whatever chunks are there) and the roster-code index
 * (derived data, rebuilt from the guests) write this way: a sync per chunk, hundreds of them for
 * 100,000 guests, cost more than the writing itself on a busy disk, and on the door's thread.
 */
export function withoutSync<T>(db: Database, run: () => T): T {
  db.pragma('synchronous = NORMAL');
  try {
    return run();
  } finally {
    db.pragma('synchronous = FULL');
  }
}
