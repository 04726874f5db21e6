import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { UncheckpointedFrames } from './wal-frames.ts';

/**
 * The worker side of the kiosk's checkpointer (checkpoints.ts): every `intervalMs` it opens its own
 * connection to the kiosk database, moves the WAL's committed pages into the database file
 * (`wal_checkpoint(PASSIVE)`: never waits for, nor blocks, the door's reads and writes) and closes it
 * again, so between checkpoints it holds no file open. `flags[0]` = 1 asks it to stop; `flags[1]` = 1
 * while it has the file open, so the owner can wait for that before it closes or deletes the database.
 *
 * Only once the WAL holds `minFrames` frames not yet copied (read from the -wal file without opening the
 * database, and never from the -shm file: wal-frames.ts says why): the first commit after a checkpoint
 * that copied everything starts the WAL over, and starting over writes the WAL's header and syncs it — a
 * second fsync in that commit. Checkpointing after every
 * scan (a door scans every few seconds; the worker looked every 250 ms) gave every scan two fsyncs
 * (strace, 20 scans 400 ms apart: 41 syncs of the WAL); now one scan in ~160 starts the WAL over
 * (1,000 frames, SQLite's own automatic checkpoint's size, ~6 frames a scan).
 */
export interface CheckpointWorkerData {
  path: string;
  intervalMs: number;
  flags: Int32Array;
  fullfsync: boolean;
  minFrames: number;
}

const STOP = 0;
const BUSY = 1;

function run(data: CheckpointWorkerData): void {
  const { flags } = data;
  const wal = `${data.path}-wal`;
  const uncopied = new UncheckpointedFrames();
  // Not lowered like the import's workers (thread-priority.ts): it needs little CPU, and starved at nice 19
  // on a busy machine it let the WAL grow past what the clean CI's checkpoints test allows.
  const timer = setInterval(() => {
    Atomics.store(flags, BUSY, 1);
    try {
      // Checked after BUSY is up: the owner either sees BUSY and waits, or we see STOP and do nothing.
      if (Atomics.load(flags, STOP) === 1) {
        clearInterval(timer);
        return;
      }
      if (uncopied.count(wal) < data.minFrames) return;
      const db = new Database(data.path, { fileMustExist: true });
      try {
        db.pragma('busy_timeout = 0');
        // The checkpoint syncs the database file before the WAL may be reused (R2: FULL, as the kiosk).
        db.pragma('synchronous = FULL');
        if (data.fullfsync) db.pragma('checkpoint_fullfsync = ON');
        const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ checkpointed: number }>;
        uncopied.checkpointed(wal, Math.max(0, result?.checkpointed ?? 0));
      } finally {
        db.close();
      }
    } catch (error) {
      parentPort?.postMessage({ kind: 'failed', message: String(error) });
    } finally {
      Atomics.store(flags, BUSY, 0);
      Atomics.notify(flags, BUSY);
    }
  }, data.intervalMs);
}

if (parentPort !== null && workerData !== null) run(workerData as CheckpointWorkerData);
