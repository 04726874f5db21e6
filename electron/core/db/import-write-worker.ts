import Database from 'better-sqlite3';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { createLogger } from '../log.ts';
import {
  CHUNK_BUDGET_MS,
  FIRST_CHUNK_ROWS,
  nextChunkRows,
  rescaledChunkRows,
  writerBudgetMs,
} from '../roster/chunk-size.ts';
import { WalSyncer } from './without-sync.ts';
import { doorClockNow, doorWaiting, enterAsWriter, leaveAsWriter } from './write-gate.ts';

/**
 * The worker side of a big import's copy (roster/import-writer.ts): its own connection to the kiosk
 * database writes each staged part into the live tables in short transactions, taking turns with the
 * door (write-gate.ts), so the copy — two thirds of the door's thread during a 100,000-row import —
 * runs beside the door instead of on its thread. This module is the worker's script (db/staging.ts
 * importWriterScript), started with `kind: 'import-writer'`.
 *
 * Not lowered in priority like the staging worker (thread-priority.ts): the door waits for the step of
 * the chunk this thread is in and its COMMIT, so a step starved of a core at nice 19 would hold the door.
 */
export interface ImportWriterData {
  kind: 'import-writer';
  /** The kiosk database. */
  path: string;
  /** The write gate's flags and the time of the door's last transaction (write-gate.ts). */
  flags: Int32Array;
  doorClock: Float64Array;
  fullfsync: boolean;
}

/**
 * A statement that moves a rowid range (@from, @to] of a staged part, attached as `staging`, into a
 * kiosk table (`@list` bound if named: roster/import-chunks.ts chunkSql).
 */
export interface CopyStatement {
  sql: string;
  /**
   * A query on the part (`staging`) and the kiosk (`main`) whose first row, if any, names a parent the
   * statement's rows refer to and the kiosk does not have; '' for none. Run once the part is copied: this
   * connection does not check foreign keys row by row (runImportWriter says why).
   */
  parentCheck: string;
}

/**
 * One staged part to copy: the file, its table, and the statements each range of it goes through, in
 * order, in the same chunk (a piece of the guests: the guests, their preferences, their list places).
 */
export interface CopyPart {
  kind: 'copy';
  path: string;
  staged: string;
  statements: readonly CopyStatement[];
  list: string;
}

export type WriterMessage = CopyPart | { kind: 'close' };

export type WriterReply =
  | { kind: 'chunk'; rows: number }
  /**
   * `steppedAside`: chunks ended early because the door wanted its turn; `quietChunks`: chunks made for the
   * budget of a quiet door (roster/chunk-size.ts QUIET_CHUNK_BUDGET_MS).
   */
  | {
      kind: 'copied';
      rows: number;
      chunks: number;
      steppedAside: number;
      quietChunks: number;
      statementMs: number;
      commitMs: number;
    }
  | { kind: 'stopped' }
  | { kind: 'failed'; message: string; code: string | null };

/** The page cache of the attached part (KiB): read once, front to back (import-chunks.ts). */
const STAGING_CACHE_KIB = 2048;
/**
 * The writer's own page cache (KiB): the pages of the live tables' B-trees it appends to, a chunk at a time
 * (committed, so never a spill). Against 16 MiB, 3 runs each alternating at load ~12 (100k CSV): peak RSS
 * 461/539/557 → 479/504/529 MB, import time the same (11.6/13.2/14.0 → 10.3/13.2/14.4 s).
 */
const WRITER_CACHE_KIB = 4096;

/** A chunk's statement runs in this many steps; between two, the writer looks whether the door waits. */
const STEPS_PER_CHUNK = 8;
const MIN_STEP_ROWS = 16;

/** How long a chunk keeps trying to begin while SQLite answers SQLITE_BUSY (beginChunk). */
const BUSY_RETRY_MS = 30_000;
/** Something to Atomics.wait on: a sleep of this thread between two tries. */
const pause = new Int32Array(new SharedArrayBuffer(4));

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function runImportWriter(port: MessagePort, data: ImportWriterData): void {
  const log = createLogger('import-writer');
  const db = new Database(data.path, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  // No row-by-row foreign key checks: each cost a lookup in the parent's index, ~1.8 µs a row (0.2–0.35 s
  // of a 100,000-guest copy, most of it the codes'). What the staged rows refer to is either the import's
  // own new guests — every by-guest part is made from the same renumbered guests as the guests part,
  // copied whole before them (guests/staging-order.ts) — or a few parents from outside (its list, the
  // forums its preferences name), which the part's parentCheck looks up once, after the copy. A parent
  // present then stays: every other connection checks foreign keys, so it cannot be deleted from under
  // its new children (and forums and lists are never deleted while an import runs).
  db.pragma('foreign_keys = OFF');
  db.pragma('secure_delete = ON');
  // Each chunk commits without a sync: the import's recovery record (committed with a sync by the door
  // before the first chunk) takes every chunk back after a power loss; WalSyncer syncs the WAL here, off
  // the door's thread, so a scan's FULL commit does not pay for the import's frames.
  db.pragma('synchronous = NORMAL');
  if (data.fullfsync) db.pragma('fullfsync = ON');
  db.pragma('wal_autocheckpoint = 0'); // the kiosk's checkpoint worker does it (checkpoints.ts)
  db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
  const wal = new WalSyncer(db);
  const post = (reply: WriterReply): void => port.postMessage(reply);
  let busyRetries = 0;
  // The chunks' budget follows the door: short while it writes, long while it is quiet (chunk-size.ts).
  const sinceDoorWrote = (): number =>
    data.doorClock[0] === 0 ? Number.POSITIVE_INFINITY : doorClockNow() - data.doorClock[0]!;
  let budgetMs = CHUNK_BUDGET_MS;

  /**
   * Takes the writer's turn and SQLite's write lock (BEGIN IMMEDIATE); false once the owner said stop.
   * SQLite has answered BEGIN IMMEDIATE with a plain SQLITE_BUSY after ~64 ms, well inside the busy
   * timeout, when the door's thread ran slowly (every 100k import under `node --cpu-prof` failed with
   * "database is locked"; what held the lock is not known): nothing is written yet then, so the chunk
   * steps aside for the door and tries again, for up to BUSY_RETRY_MS, before the import fails.
   */
  const beginChunk = (): boolean => {
    const until = performance.now() + BUSY_RETRY_MS;
    for (;;) {
      if (!enterAsWriter(data.flags)) return false;
      try {
        db.exec('BEGIN IMMEDIATE');
        return true;
      } catch (error) {
        leaveAsWriter(data.flags);
        if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || performance.now() > until) throw error;
        busyRetries++;
        Atomics.wait(pause, 0, 0, 10);
      }
    }
  };

  const copy = async (part: CopyPart): Promise<void> => {
    db.prepare(`ATTACH ? AS staging`).run(part.path);
    try {
      db.pragma(`staging.cache_size = -${STAGING_CACHE_KIB}`);
      const inserts = part.statements.map((s) => {
        const statement = db.prepare(s.sql);
        return { statement, withList: statement.source.includes('@list') };
      });
      const rows = db.prepare(`SELECT coalesce(max(rowid), 0) FROM staging.${part.staged}`).pluck().get() as number;
      let size = FIRST_CHUNK_ROWS;
      let chunks = 0;
      let statementMs = 0;
      let commitMs = 0;
      let steppedAside = 0;
      let quietChunks = 0;
      for (let from = 0; from < rows;) {
        if (!beginChunk()) return post({ kind: 'stopped' });
        // Decided inside the turn: a door that wrote just before it counts.
        const budget = writerBudgetMs(sinceDoorWrote());
        if (budget !== budgetMs) size = rescaledChunkRows(size, budgetMs, budget);
        budgetMs = budget;
        if (budget > CHUNK_BUDGET_MS) quietChunks++;
        const end = Math.min(rows, from + size);
        let to = from;
        let ms = 0;
        const began = performance.now();
        try {
          const t = performance.now();
          // The chunk's rows a step at a time: when the door wants its turn, what is done so far commits
          // and the door goes first (it waits for one step and this COMMIT, not for the whole chunk).
          const step = Math.max(MIN_STEP_ROWS, Math.ceil(size / STEPS_PER_CHUNK));
          while (to < end) {
            const next = Math.min(end, to + step);
            for (const { statement, withList } of inserts)
              statement.run(withList ? { from: to, to: next, list: part.list } : { from: to, to: next });
            to = next;
            if (doorWaiting(data.flags)) break;
          }
          ms = performance.now() - t;
          db.exec('COMMIT');
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        } finally {
          leaveAsWriter(data.flags);
        }
        const turnMs = performance.now() - began;
        commitMs += turnMs - ms;
        statementMs += ms;
        chunks++;
        if (to < end) steppedAside++;
        post({ kind: 'chunk', rows: to - from });
        // A chunk cut short says how long the whole one would have taken. Its COMMIT counts: it writes the
        // chunk's pages to the WAL (no sync here: WalSyncer), and the door waits for it.
        size = nextChunkRows(size, (turnMs * (end - from)) / (to - from), budget);
        from = to;
        wal.kick();
        await turn(); // the sync's completion and the owner's messages
      }
      if (busyRetries > 0) log.info('chunks waited for a busy database', { retriesSoFar: busyRetries });
      checkParents(db, part);
      post({
        kind: 'copied',
        rows,
        chunks,
        steppedAside,
        quietChunks,
        statementMs: Math.round(statementMs),
        commitMs: Math.round(commitMs),
      });
    } finally {
      db.exec('DETACH staging');
    }
  };

  let queue = Promise.resolve();
  port.on('message', (message: WriterMessage) => {
    queue = queue.then(async () => {
      if (message.kind === 'close') {
        await wal.close();
        db.close();
        port.close();
        return;
      }
      try {
        await copy(message);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        log.warn('copying a staged part failed', { part: message.staged, error: String(error) });
        post({ kind: 'failed', message: (error as Error).message, code: typeof code === 'string' ? code : null });
      }
    });
  });
}

/** A staged row names a parent the kiosk does not have (CopyStatement.parentCheck): the import fails. */
class MissingParent extends Error {
  readonly code = 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** Runs the part's parent checks; throws MissingParent (SQLite's code for a foreign key) if one finds one. */
function checkParents(db: Database.Database, part: CopyPart): void {
  for (const { parentCheck } of part.statements) {
    if (parentCheck === '') continue;
    const check = db.prepare(parentCheck).pluck();
    const missing: unknown = check.source.includes('@list') ? check.get({ list: part.list }) : check.get();
    if (missing !== undefined)
      throw new MissingParent(
        `FOREIGN KEY constraint failed: staged ${part.staged} name ${String(missing)}, which is not there`,
      );
  }
}

if (parentPort !== null && (workerData as Partial<ImportWriterData> | null)?.kind === 'import-writer')
  runImportWriter(parentPort, workerData as ImportWriterData);
