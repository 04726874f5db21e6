import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { createLogger } from '../log.ts';
import type { CheckpointWorkerData } from './checkpoint-worker.ts';

const log = createLogger('db');

/** SQLite's own default: a checkpoint after a commit that leaves this many pages in the WAL. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;
const CHECKPOINT_INTERVAL_MS = 250;

/**
 * Checkpoints off the door's thread. SQLite's automatic checkpoint runs inside the COMMIT that pushes
 * the WAL past 1,000 pages: with a scan writing ~10 pages (the fact, the check-in, attendance and
 * their indexes) every ~100th scan paid for copying the WAL into the database file and syncing it — the
 * scan's p99. Here a worker thread does it with its own connection (a PASSIVE checkpoint neither waits
 * for nor blocks the door's transactions), and the kiosk's connection never checkpoints itself. If the
 * worker cannot run, SQLite's automatic checkpoint is put back. Returns the stop function: synchronous,
 * it returns once the worker no longer has the file open (the database may be closed or wiped next).
 */
export function startCheckpoints(db: Database): () => void {
  const flags = new Int32Array(new SharedArrayBuffer(8));
  let worker: Worker;
  try {
    worker = new Worker(checkpointWorkerScript(), {
      workerData: {
        path: db.name,
        intervalMs: CHECKPOINT_INTERVAL_MS,
        flags,
        fullfsync: process.platform === 'darwin',
        minFrames: SQLITE_AUTOCHECKPOINT_PAGES,
      } satisfies CheckpointWorkerData,
      // It allocates next to nothing, but run from source Node loads its TypeScript stripper into the
      // worker's heap: 8 MB ran out at once (and fell back silently). A limit, not a reservation.
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 },
    });
  } catch (error) {
    log.warn('no checkpoint worker; SQLite checkpoints on commit', { error: String(error) });
    return () => {};
  }
  worker.unref(); // a CLI command exits when its work is done
  const fallBack = (why: string) => {
    if (!db.open) return;
    log.warn('checkpoint worker stopped; SQLite checkpoints on commit again', { why });
    db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
  };
  worker.on('message', (m: { kind: string; message: string }) => log.warn('checkpoint failed', { error: m.message }));
  worker.on('error', (error) => fallBack(String(error)));
  worker.on('exit', (code) => {
    if (Atomics.load(flags, 0) === 0) fallBack(`exit ${code}`);
  });
  db.pragma('wal_autocheckpoint = 0');
  return () => {
    Atomics.store(flags, 0, 1);
    while (Atomics.load(flags, 1) === 1) Atomics.wait(flags, 1, 1, 100);
    void worker.terminate();
    if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
  };
}

/**
 * The worker's script: beside this module when run from source (Node runs the .ts), and beside
 * dist-electron/main.cjs in the app, where Vite's `--mode checkpoint-worker` build puts it.
 */
function checkpointWorkerScript(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './checkpoint-worker.ts' : './checkpoint-worker.cjs', here);
}
