import { close, fdatasync, open } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { createLogger } from '../log.ts';

const log = createLogger('db');

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

/**
 * Syncs a database's WAL on libuv's thread pool, for writers that commit without a sync (withoutSync).
 * Their frames are otherwise synced by the next FULL commit — a scan's, on the door's thread, which so
 * paid for syncing a big import's megabytes. One sync at a time: `kick` after a commit starts one unless
 * one is running (the next kick after it covers what came meanwhile); the writer never waits for it.
 */
export class WalSyncer {
  private readonly path: string;
  private fd: number | null = null;
  private running: Promise<void> | null = null;
  private failed = false;
  syncs = 0;

  constructor(db: Database) {
    this.path = `${db.name}-wal`;
  }

  kick(): void {
    if (this.running !== null || this.failed) return;
    this.syncs++;
    this.running = this.sync()
      .catch((error: unknown) => {
        this.failed = true; // only a cost saving: the next FULL commit syncs as before
        log.warn('could not sync the WAL off the thread', { error: String(error) });
      })
      .finally(() => (this.running = null));
  }

  /** Waits for a running sync, then lets go of the file. */
  async close(): Promise<void> {
    await this.running;
    if (this.fd !== null) await new Promise<void>((resolve) => close(this.fd!, () => resolve()));
    this.fd = null;
  }

  private async sync(): Promise<void> {
    this.fd ??= await new Promise<number>((resolve, reject) =>
      open(this.path, 'r', (error, fd) => (error === null ? resolve(fd) : reject(error))),
    );
    const fd = this.fd;
    await new Promise<void>((resolve, reject) =>
      fdatasync(fd, (error) => (error === null ? resolve() : reject(error))),
    );
  }
}
