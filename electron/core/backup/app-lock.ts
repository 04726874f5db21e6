import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LanyardFailure } from '../../../shared/result.ts';
import { processAlive } from '../process-alive.ts';

/**
 * The kiosk app (Electron, `lanyard serve`, `npm run web`) says it has the database open with a lock file
 * in the data directory: its pid, host and start time. `lanyard restore` and `lanyard wipe` refuse while a
 * live process on this host holds it (an idle SQLite connection holds no lock SQLite could test). A lock
 * left by a crashed app names a dead pid and is ignored.
 */
const LOCK_FILE = 'lanyard.lock';

interface LockBody {
  pid: number;
  host: string;
  startedMs: number;
}

export function lockFile(dataDir: string): string {
  return path.join(dataDir, LOCK_FILE);
}

/** The live app holding this data directory, or null. */
export function appLockHolder(dataDir: string): LockBody | null {
  let body: LockBody;
  try {
    body = JSON.parse(fs.readFileSync(lockFile(dataDir), 'utf8')) as LockBody;
  } catch {
    return null;
  }
  if (typeof body.pid !== 'number' || body.host !== os.hostname()) return null;
  if (body.pid === process.pid) return body;
  return processAlive(body.pid) ? body : null;
}

export function refuseWhileAppRuns(dataDir: string, what: string): void {
  const holder = appLockHolder(dataDir);
  if (holder !== null && holder.pid !== process.pid) {
    throw new LanyardFailure(
      'kiosk_running',
      `the kiosk app (pid ${holder.pid}, since ${new Date(holder.startedMs).toISOString()}) has this data directory open; close it before ${what}`,
    );
  }
}

/** Takes the lock for this process; refuses when another live app holds it. Returns the release. */
export function acquireAppLock(dataDir: string, now: () => number): () => void {
  refuseWhileAppRuns(dataDir, 'starting a second kiosk on it');
  fs.mkdirSync(dataDir, { recursive: true });
  const body: LockBody = { pid: process.pid, host: os.hostname(), startedMs: now() };
  fs.writeFileSync(lockFile(dataDir), JSON.stringify(body), { mode: 0o600 });
  return () => {
    if (appLockHolder(dataDir)?.pid === process.pid) fs.rmSync(lockFile(dataDir), { force: true });
  };
}
