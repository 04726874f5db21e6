import fs from 'node:fs';
import os from 'node:os';
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * The worker side of the kiosk's checkpointer (checkpoints.ts): every `intervalMs` it opens its own
 * connection to the kiosk database, moves the WAL's committed pages into the database file
 * (`wal_checkpoint(PASSIVE)`: never waits for, nor blocks, the door's reads and writes) and closes it
 * again, so between checkpoints it holds no file open. `flags[0]` = 1 asks it to stop; `flags[1]` = 1
 * while it has the file open, so the owner can wait for that before it closes or deletes the database.
 *
 * Only once the WAL holds `minFrames` frames not yet copied (read from the -shm file, without opening the
 * database): the first commit after a checkpoint that copied everything starts the WAL over, and starting
 * over writes the WAL's header and syncs it — a second fsync in that commit. Checkpointing after every
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

/**
 * Frames in the WAL that no checkpoint copied yet: mxFrame (the WAL-index header at the -shm file's
 * start, offset 16) minus nBackfill (the checkpoint info after the header's two copies, offset 96), both
 * in the machine's byte order (SQLite's wal.c). Infinity when the file cannot be read as that: then the
 * worker checkpoints as before. A torn read only moves one checkpoint by one turn.
 */
export function framesNotCheckpointed(dbPath: string): number {
  const header = Buffer.alloc(100);
  let read: number;
  try {
    const fd = fs.openSync(`${dbPath}-shm`, 'r');
    try {
      read = fs.readSync(fd, header, 0, header.length, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return Number.POSITIVE_INFINITY;
  }
  if (read < header.length) return Number.POSITIVE_INFINITY;
  const u32 = (at: number) => (os.endianness() === 'LE' ? header.readUInt32LE(at) : header.readUInt32BE(at));
  const mxFrame = u32(16);
  const nBackfill = u32(96);
  return mxFrame >= nBackfill ? mxFrame - nBackfill : Number.POSITIVE_INFINITY;
}

const STOP = 0;
const BUSY = 1;

function run(data: CheckpointWorkerData): void {
  const { flags } = data;
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
      if (framesNotCheckpointed(data.path) < data.minFrames) return;
      const db = new Database(data.path, { fileMustExist: true });
      try {
        db.pragma('busy_timeout = 0');
        // The checkpoint syncs the database file before the WAL may be reused (R2: FULL, as the kiosk).
        db.pragma('synchronous = FULL');
        if (data.fullfsync) db.pragma('checkpoint_fullfsync = ON');
        db.pragma('wal_checkpoint(PASSIVE)');
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
