import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../log.ts';
import { STAGED_GUEST_TABLES, STAGED_TERM_TABLES, stagedGuestRows, stagedTermRows } from '../guests/staged-guests.ts';
import { BatchedInsert } from './bulk.ts';
import { lowerThisWorkerPriority } from '../thread-priority.ts';

/**
 * The worker side of a staging database (see staging.ts): opens its own SQLite file, creates the
 * schema it is given, and inserts the chunks the main thread posts, all in one transaction. Binding
 * values is most of the cost of a bulk insert with better-sqlite3; here it runs beside the main
 * thread's work instead of after it. The file is scratch: no journal, no fsync.
 */
/** The page cache of a part file being written (KiB). */
const PART_CACHE_KIB = 2048;

export interface StagingWorkerData {
  /** Messages taken so far, counted here; the owner waits while too many are queued (staging.ts). */
  taken: Int32Array;
}

/**
 * A finished table written to a file of its own (attached as `part` while `sql` runs), announced as
 * soon as it is complete, so the owner can copy it while the worker prepares the next part.
 */
export interface StagingPart {
  name: string;
  path: string;
  sql: string;
}

export type StagingMessage =
  /**
   * The first message: the file to stage into (created with `schema`). The worker may be started well
   * before its import knows it (staging-spare.ts): its modules load while the door's thread reads the upload.
   */
  | { kind: 'open'; path: string; schema: string }
  | { kind: 'rows'; table: string; columns: readonly string[]; values: Array<string | number> }
  | { kind: 'guests'; packed: Array<string | number> }
  | { kind: 'terms'; packed: Array<string | number> }
  | { kind: 'finish'; sql: string; parts?: readonly StagingPart[] };

export type StagingReply = { kind: 'part'; name: string } | { kind: 'finished'; rows: number };

/** This thread's CPU time so far (ms; NaN on a Node without threadCpuUsage: only a log field). */
function threadCpuMs(): number {
  if (typeof process.threadCpuUsage !== 'function') return NaN;
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
}

function run(port: NonNullable<typeof parentPort>, data: StagingWorkerData): void {
  lowerThisWorkerPriority('staging'); // the door's thread first (thread-priority.ts)
  createLogger('staging').debug('staging worker up', { cpuMs: Math.round(threadCpuMs()) });
  port.once('message', (message: StagingMessage) => {
    Atomics.add(data.taken, 0, 1);
    if (message.kind !== 'open') throw new Error(`the staging worker was sent ${message.kind} before open`);
    stage(port, data, message.path, message.schema);
  });
}

/** Stages into the file at `path`: every message after `open` (run). */
function stage(port: NonNullable<typeof parentPort>, data: StagingWorkerData, path: string, schema: string): void {
  const log = createLogger('staging');
  const db = new Database(path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(schema);
  db.exec('BEGIN');
  let rows = 0;
  let guestRows = 0; // the staged guests so far: the next one's rowid is guestRows + 1 (stagedGuestRows)
  const typoWordsSeen = new Set<string>(); // words whose typo variants are staged already
  const inserts = new Map<string, BatchedInsert>();
  const insert = (table: string, columns: readonly string[], values: ReadonlyArray<string | number>): void => {
    if (values.length === 0) return;
    let batch = inserts.get(table);
    if (batch === undefined) inserts.set(table, (batch = new BatchedInsert(db, table, columns)));
    batch.add(values);
    rows += values.length / columns.length;
  };
  port.on('message', (message: StagingMessage) => {
    Atomics.add(data.taken, 0, 1);
    if (message.kind === 'open') throw new Error('the staging worker was opened twice');
    if (message.kind === 'rows') return insert(message.table, message.columns, message.values);
    if (message.kind === 'terms') {
      // New search terms packed by the main thread: their keys and typo variants are made here.
      const staged = stagedTermRows(message.packed, typoWordsSeen);
      for (const [table, columns] of Object.entries(STAGED_TERM_TABLES))
        insert(table, columns, staged[table as keyof typeof STAGED_TERM_TABLES]);
      return;
    }
    if (message.kind === 'guests') {
      // New guests packed by the main thread: their rows and keys are made here (guests/staged-guests.ts).
      const staged = stagedGuestRows(message.packed, guestRows + 1);
      guestRows += staged.guests.length / STAGED_GUEST_TABLES.guests.length;
      for (const [table, columns] of Object.entries(STAGED_GUEST_TABLES))
        insert(table, columns, staged[table as keyof typeof STAGED_GUEST_TABLES]);
      return;
    }
    for (const batch of inserts.values()) batch.flush();
    log.debug('staged rows inserted', { rows, cpuMs: Math.round(threadCpuMs()) }); // the thread's CPU so far
    // The owner's last touches (renumbering, sorting: see guests/staging.ts), here off the door's thread.
    const began = performance.now();
    db.exec(message.sql);
    db.exec('COMMIT');
    for (const part of message.parts ?? []) {
      const partBegan = performance.now();
      const cpuBegan = threadCpuMs();
      // The owner reads a part only once it is announced, and the worker never touches it again: no
      // locking between the two connections (ATTACH is not allowed inside a transaction).
      rmSync(part.path, { force: true });
      db.prepare(`ATTACH ? AS part`).run(part.path);
      db.pragma('part.journal_mode = OFF');
      db.pragma('part.synchronous = OFF');
      // Written once, front to back: a small cache is enough, and this runs while the owner's copy fills
      // its own (16 MB per attached file by default; the import's peak RSS is a target).
      db.pragma(`part.cache_size = -${PART_CACHE_KIB}`);
      db.exec('BEGIN');
      db.exec(part.sql);
      db.exec('COMMIT');
      db.exec('DETACH part');
      log.debug('staging part ready', {
        part: part.name,
        ms: Math.round(performance.now() - partBegan),
        cpuMs: Math.round(threadCpuMs() - cpuBegan), // far below ms: the worker waited for a core
      });
      port.postMessage({ kind: 'part', name: part.name } satisfies StagingReply);
    }
    log.debug('staging file finished', { rows, ms: Math.round(performance.now() - began) });
    db.close();
    port.postMessage({ kind: 'finished', rows } satisfies StagingReply);
    port.close();
  });
}

// Started as a staging worker (staging.ts): not when imported elsewhere, nor in a thread of another kind.
if (parentPort !== null && workerData !== null && 'taken' in (workerData as object))
  run(parentPort, workerData as StagingWorkerData);
