import { randomBytes } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { GuestStager } from '../guests/staging.ts';
import { STAGED_PART_ORDER, partCopies, type StagedCopy } from '../guests/staging-order.ts';
import type { GuestStore } from '../guests/store.ts';
import { WalSyncer, withoutSync } from '../db/without-sync.ts';
import { writeGateOf } from '../db/write-gate.ts';
import { createLogger } from '../log.ts';
import { FIRST_CHUNK_ROWS, nextChunkRows } from './chunk-size.ts';
import { clearImportRecord, rollBackSome, writeImportRecord, type ImportRecord } from './import-recovery.ts';
import type { ImportWriter } from './import-writer.ts';

const log = createLogger('roster');

/** The page cache of an attached staging part (KiB). */
const STAGING_CACHE_KIB = 2048;
/** Guests a failed import takes back per transaction while the door goes on. */
const ROLLBACK_ROWS = 500;

/**
 * A chunk's INSERT that needs no statement journal: `OR ROLLBACK`, with no immediate foreign key check
 * (the writer's connection checks none, db/import-write-worker.ts; the door's, copying here, defers them
 * to the chunk's COMMIT with defer_foreign_keys). A plain INSERT of many rows inside a
 * transaction makes SQLite copy each page a statement first touches into a statement journal (a temp
 * file past 64 KiB), so that a failing row can take back its statement alone; a chunk that fails is
 * rolled back whole anyway. Per statement that was most of a small chunk's cost: 100,000 guests in
 * 345-row chunks of 8 steps took 950 ms of statements with the journal and 280 ms without (the
 * guests' copy in the roster bench: 0.9–1.0 → 0.35–0.4 s). The error is the same: a taken code is
 * still SQLITE_CONSTRAINT_PRIMARYKEY (import-write.ts plans again).
 */
export function chunkInsert(insert: string): string {
  if (!insert.startsWith('INSERT INTO ') && !insert.startsWith('INSERT OR IGNORE INTO '))
    throw new Error(`not a chunk insert: ${insert}`);
  return insert.replace(/^INSERT INTO /, 'INSERT OR ROLLBACK INTO ');
}

/**
 * A chunk's statement for a staged part attached as `staging`: its rows `s` in a rowid range (@from,
 * @to], in rowid order — sorted by the worker, so the chunk lands on neighbouring pages of the kiosk's
 * B-trees — with `@list` bound where the copy names it.
 */
export function chunkSql(c: StagedCopy): string {
  const join = c.join === undefined ? '' : `, ${c.join}`;
  return `${chunkInsert(c.insert)} ${c.select} FROM staging.${c.staged} AS s${join}
    WHERE s.rowid > @from AND s.rowid <= @to ORDER BY s.rowid`;
}

/** Lets scans run between chunks (a macrotask turn: timers and I/O go first). */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The write of a big staged import (the staging file attached as `staging`) in short committed chunks
 * instead of one transaction that held the door for seconds. All-or-nothing is kept by a recovery
 * record (import-recovery.ts): the first chunk writes it, the import's last transaction (`finishIn`)
 * deletes it; a failure before that rolls every chunk back, and so does the next open after a crash.
 *
 * What the door sees meanwhile: the old list. The new guests are committed but pending
 * (GuestStore.setPending) until the last transaction, so a scan, a search or a check-in by hand answers
 * as before the import started. That is honest for the door: nobody can be checked in as a guest the
 * import might still take back, and when the import ends every new guest appears at once. Everyone else
 * (counts, lists, exports, badge batches, the event package) reads the settled views of migration 016,
 * which leave out the guests of a recovery record's range, in SQL and across processes.
 */
export class ChunkedImportWrite {
  private readonly db: Database;
  private readonly guests: GuestStore;
  private readonly stager: GuestStager;
  private readonly writer: ImportWriter | null;
  readonly record: ImportRecord;
  private started = false;

  /** `writer`: the worker that copies off the door's thread (import-writer.ts); null: the copy runs here. */
  constructor(
    db: Database,
    guests: GuestStore,
    stager: GuestStager,
    writer: ImportWriter | null,
    guestPrefix: string,
    listId: string | null,
  ) {
    this.db = db;
    this.guests = guests;
    this.stager = stager;
    this.writer = writer;
    const { first, end } = stager.newTermIds;
    this.record = {
      id: `imp_${randomBytes(6).toString('hex')}`,
      guestFrom: guestPrefix,
      guestTo: `${guestPrefix}~`, // '~' sorts after every hex digit of the counter that follows the prefix
      listId: listId ?? `lst_${randomBytes(6).toString('hex')}`,
      listCreated: listId === null,
      termReserve: end > first ? end : 0,
      pid: process.pid,
      startedMs: Date.now(),
    };
  }

  /**
   * Writes the record (and the new list, with the name and file it is created for), then every staged
   * table in chunks, yielding between them. `yieldNow` may throw (cancelled, timed out): the caller
   * then rolls back.
   */
  async copy(
    list: { name: string; nameKey: string; fileName: string; now: number },
    yieldNow: () => Promise<void>,
    progress: (done: number, total: number) => void,
  ): Promise<void> {
    const r = this.record;
    const begin = this.db.transaction(() => {
      this.stager.checkTermIds(this.db);
      if (r.listCreated)
        this.db
          .prepare(
            `INSERT INTO roster_lists (id, name, name_key, created_ms, last_import_ms, last_file_name) VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .run(r.listId, list.name, list.nameKey, list.now, list.now, list.fileName);
      writeImportRecord(this.db, r);
    });
    // The import's own record: it takes turns with the writer, but it is not the door at work (write-gate.ts).
    const gate = writeGateOf(this.db);
    if (gate === undefined) begin();
    else gate.notDoorWork(begin);
    this.guests.setPending({ from: r.guestFrom, to: r.guestTo });
    this.started = true;
    // Each part file with the tables its rows go into (a piece of the guests: three).
    const copies = partCopies();
    // The share of the staged rows a table holds, to show progress before its part is ready.
    const counts = this.stager.stagedRowCounts;
    const total = STAGED_PART_ORDER.reduce((sum, name) => sum + (counts.get(name) ?? 0), 0);
    let done = 0;
    let chunks = 0;
    let waitedMs = 0;
    const began = performance.now();
    // The copy runs in a worker of its own where one could start (import-writer.ts): the door's thread
    // then only hands over the parts; else here, chunk by chunk between scans.
    const writer = this.writer;
    const wal = new WalSyncer(this.db);
    try {
      for (const { file, copies: into } of copies) {
        const waiting = performance.now();
        const path = await this.stager.part(file);
        waitedMs += performance.now() - waiting;
        const stepBegan = performance.now();
        const step =
          writer === null
            ? await this.copyHere(into, path, wal, yieldNow, (rows) => {
                done += rows;
                progress(Math.min(done, total), total);
              })
            : await writer.copy(
                {
                  path,
                  staged: into[0]!.staged,
                  statements: into.map((c) => ({ sql: chunkSql(c), parentCheck: c.parentCheck ?? '' })),
                  list: r.listId,
                },
                (rows) => {
                  done += rows;
                  progress(Math.min(done, total), total);
                },
                yieldNow,
              );
        chunks += step.chunks;
        log.debug('staged table copied', {
          table: file,
          rows: step.rows,
          chunks: step.chunks,
          steppedAside: 'steppedAside' in step ? step.steppedAside : 0,
          quietChunks: 'quietChunks' in step ? step.quietChunks : 0,
          statementMs: step.statementMs,
          commitMs: step.commitMs,
          ms: Math.round(performance.now() - stepBegan),
          worker: writer !== null,
        });
      }
    } finally {
      await wal.close();
    }
    log.info('import written in chunks', {
      importId: r.id,
      rows: done,
      chunks,
      waitedForStagingMs: Math.round(waitedMs),
      walSyncs: wal.syncs,
      offThread: writer !== null,
      doorWaits: writer?.doorWaits, // since the kiosk opened: the door's transactions that waited for a chunk
      ms: Math.round(performance.now() - began),
    });
  }

  /** One staged part copied on the door's thread into its tables, a chunk per turn of the event loop. */
  private async copyHere(
    into: readonly StagedCopy[],
    path: string,
    wal: WalSyncer,
    yieldNow: () => Promise<void>,
    copied: (rows: number) => void,
  ): Promise<{ rows: number; chunks: number; statementMs: number; commitMs: number }> {
    // ATTACH is not allowed inside a transaction; the scans between chunks never touch the file.
    this.db.prepare(`ATTACH ? AS staging`).run(path);
    // Read once, front to back: SQLite's default cache (16 MB per attached file) would only add to
    // the import's peak memory.
    this.db.pragma(`staging.cache_size = -${STAGING_CACHE_KIB}`);
    let rows: number;
    let chunks = 0;
    let statementMs = 0;
    const commitBefore = this.commitMs;
    try {
      // Sorted by the worker (GuestStager.finishInParts): a rowid range lands on a few neighbouring
      // pages of each of the kiosk table's B-trees.
      const inserts = into.map((c) => this.db.prepare(chunkSql(c)));
      rows = this.db.prepare(`SELECT coalesce(max(rowid), 0) FROM staging.${into[0]!.staged}`).pluck().get() as number;
      let size = FIRST_CHUNK_ROWS;
      for (let from = 0; from < rows;) {
        const to = Math.min(rows, from + size);
        const ms = this.chunk(inserts, { from, to, list: this.record.listId });
        statementMs += ms;
        chunks++;
        copied(to - from);
        from = to;
        size = nextChunkRows(size, ms);
        // The chunk's frames are synced off the door's thread, so the next scan's FULL commit syncs
        // little more than its own pages.
        wal.kick();
        await yieldNow();
      }
    } finally {
      this.db.exec('DETACH staging');
    }
    return { rows, chunks, statementMs: Math.round(statementMs), commitMs: Math.round(this.commitMs - commitBefore) };
  }

  /**
   * One chunk in its own transaction; returns the time of its statements. The COMMIT's sync is left out
   * of that: on a busy disk it costs milliseconds whatever the chunk's size, and shrinking chunks for it
   * only made more of them (a 100,000-row import took minutes).
   */
  private chunk(inserts: readonly Statement[], params: { from: number; to: number; list: string }): number {
    // The list parameter is bound only where the statement names it.
    const range = { from: params.from, to: params.to };
    let ms = 0;
    const began = performance.now();
    withoutSync(this.db, () =>
      this.db.transaction(() => {
        this.db.pragma('defer_foreign_keys = ON'); // see chunkInsert
        const t = performance.now();
        for (const insert of inserts) insert.run(insert.source.includes('@list') ? params : range);
        ms = performance.now() - t;
      })(),
    );
    this.commitMs += performance.now() - began - ms;
    return ms;
  }

  /** Time in the chunks' transactions outside their statements (BEGIN, COMMIT, the sync pragmas). */
  private commitMs = 0;

  /** Inside the import's last transaction: the new guests join the roster (the record goes). */
  finishIn(): void {
    clearImportRecord(this.db, this.record);
  }

  /** After the last transaction committed: the door sees the new guests. */
  reveal(): void {
    this.guests.setPending(null);
  }

  /** Takes back every chunk, a few hundred guests per transaction with the door going on in between. */
  async rollBack(): Promise<void> {
    if (!this.started) return;
    const began = performance.now();
    while (!withoutSync(this.db, () => rollBackSome(this.db, this.record, ROLLBACK_ROWS))) await turn();
    this.guests.setPending(null);
    log.info('import rolled back', { importId: this.record.id, ms: Math.round(performance.now() - began) });
  }
}
