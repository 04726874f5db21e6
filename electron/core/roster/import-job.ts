import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { EventInfo } from '../../../shared/domain.ts';
import { MAX_REMOVED_SHOWN, type ImportSummary } from '../../../shared/roster/contract-types.ts';
import { RecordReader, type RowError } from '../../../shared/roster/records.ts';
import { withBulkCache } from '../db/page-cache.ts';
import { withShortGcPauses } from '../gc-pauses.ts';
import { removeStaleStagingFiles, stagingFileName } from '../db/staging.ts';
import { SpareStagingThread } from '../db/staging-spare.ts';
import { GuestStager } from '../guests/staging.ts';
import { loadGuestRecordPage, loadGuestRecords } from '../guests/records.ts';
import type { GuestStore } from '../guests/store.ts';
import type { JobContext } from '../jobs.ts';
import { createLogger } from '../log.ts';
import { ImportPlanner } from './importer.ts';
import { ImportWrite } from './import-write.ts';
import { ImportWriter } from './import-writer.ts';
import { recoverInterruptedImports } from './import-recovery.ts';
import type { ListStore } from './lists.ts';
import type { ImportRequest } from './import-request.ts';

const log = createLogger('roster');
/**
 * Rows read and matched in one slice; after each slice the import yields to scans once it has held the
 * thread this long. A scan arriving meanwhile waits at most about that plus one slice (50 rows with their
 * search keys: ~2–4 ms): the door's p99 stays ≤ 10 ms during an import (5,000-row chunks held it for
 * 0.2–3 s, depending on the machine's load). 1 ms rather than 2 or 4: the yields cost a few µs each, and
 * in 4 alternating pairs of the roster bench's scan-csv round a first check-in's p99 went 8.3/10.8/8.7/8.1
 * → 9.3/8.9/7.0/6.7 ms (the checking phase's 8.9/11.2/7.5/7.0 → 7.3/8.9/6.7/7.4), the import no slower.
 */
const SLICE_ROWS = 50;
const SLICE_BUDGET_MS = 1;
/** Files this long stage their new guests in a worker (guests/staging.ts); shorter ones insert directly. */
const STAGE_FROM_ROWS = 10_000;
const MAX_PLANS = 3;
const STAGING_PREFIX = 'lanyard-import-';
/** Guests of the roster read per page before an import matches rows to them (~2 ms on the door's thread). */
const ROSTER_PAGE = 200;

/**
 * Staging files hold the new guests' names and emails: they live inside the (owner-only) data directory,
 * never in the shared temp folder, where another user could read them.
 */
function stagingDir(db: Database): string {
  return join(dirname(db.name), 'staging');
}

/**
 * One roster import, run as a job: reads and plans the file in slices that yield to scans, stages large
 * files' new guests in a worker and writes them in short chunks (import-chunks.ts), then the rest in one
 * transaction; a small file is written in one transaction (RosterService starts it). One import at a time.
 */
export class RosterImport {
  private readonly db: Database;
  private readonly guests: GuestStore;
  private readonly lists: ListStore;
  private readonly event: () => EventInfo;
  private readonly writes: ImportWrite;

  /** A staging worker started ahead of the next import (RosterService warms it as a big file uploads). */
  readonly spareWorker = new SpareStagingThread();

  constructor(db: Database, guests: GuestStore, lists: ListStore, event: () => EventInfo, now: () => number) {
    this.db = db;
    this.guests = guests;
    this.lists = lists;
    this.event = event;
    this.writes = new ImportWrite(db, guests, lists, now);
    recoverInterruptedImports(db); // before anything reads the roster
    removeStaleStagingFiles(stagingDir(db), STAGING_PREFIX, Date.now()); // file times are real time, not the event clock
  }

  /** The import running now, if any: the next one waits for it (it must plan against its result). */
  private running: Promise<unknown> = Promise.resolve();

  /** Runs one import job: plans it, and writes it unless it is a dry run or has errors. */
  run(ctx: JobContext, request: ImportRequest): Promise<ImportSummary> {
    const mine = this.running.then(() => this.runNow(ctx, request));
    this.running = mine.catch(() => {});
    return mine;
  }

  private runNow(ctx: JobContext, request: ImportRequest): Promise<ImportSummary> {
    // Bulk work: its chunks revisit the roster's pages (db/page-cache.ts); scans between them share it.
    // Its checking keeps every row's email and code: short scavenges meanwhile (gc-pauses.ts).
    return withShortGcPauses(() => withBulkCache(this.db, () => this.planAndWriteUntilDone(ctx, request)));
  }

  private async planAndWriteUntilDone(ctx: JobContext, request: ImportRequest): Promise<ImportSummary> {
    for (let attempt = 1; ; attempt++) {
      // The roster may change while the import yields to scans (a walk-in, a guest synced in): the plan
      // is then stale and is made again. The last attempt does not yield, so nothing can overtake it.
      const outcome = await this.planAndWrite(ctx, request, attempt < MAX_PLANS);
      if (outcome !== 'plan_again') return outcome;
      log.info('planning the import again', { fileName: request.fileName, attempt });
    }
  }

  private async planAndWrite(
    ctx: JobContext,
    request: ImportRequest,
    mayYield: boolean,
  ): Promise<ImportSummary | 'plan_again'> {
    const { fileName, table, mapping, dryRun, listName, replace } = request;
    const total = table.rows.rowCount;
    const revision = this.guests.revision;
    const reader = new RecordReader(table.headers, mapping, this.event().forums);
    // Each start-up step is a few ms on the door's thread (3–6 ms each here): scans go on between them.
    // Run back to back, the reader, the staging worker and the list's membership held a scan 10–17 ms.
    const between = (): Promise<void> => (mayYield ? ctx.yieldNow() : Promise.resolve());
    await between();
    let stager = !dryRun && mayYield && total >= STAGE_FROM_ROWS ? this.openStager() : null;
    let writer: ImportWriter | null = null;
    try {
      await between();
      if (stager !== null) {
        await stager.loadTerms(() => ctx.yieldNow());
        await ctx.yieldNow();
      }
      const membership = this.lists.membership(this.lists.find(listName)?.id ?? null);
      await between();
      const planner = new ImportPlanner([], stager === null, membership);
      await this.readRoster(ctx, planner, mayYield);
      const recordErrors: RowError[] = [];
      let heldSince = performance.now();
      let first = 0;
      // One pack of rows unpacked at a time (read-rows.ts): the file's rows never exist as one array.
      for (const batch of table.rows.batches()) {
        for (let at = 0; at < batch.length; at += SLICE_ROWS) {
          ctx.progress('checking', first, total);
          const slice = batch.slice(at, at + SLICE_ROWS);
          const { records, errors } = reader.read(slice, first);
          first += slice.length;
          recordErrors.push(...errors);
          const fresh = planner.add(records);
          if (stager !== null && recordErrors.length + planner.errorCount > 0) {
            stager.discard(); // the file has errors, so nothing will be written: stop staging
            stager = null;
          }
          stager?.add(fresh);
          // A worker behind the reading (a busy machine starves it: it yields to the door) would queue
          // the file's rows in memory: wait for it, a cancel still heard (db/staging.ts MAX_BACKLOG).
          while (mayYield && stager?.workerBehind === true) {
            await stager.workerCaughtUp();
            await ctx.yieldNow();
            heldSince = performance.now();
          }
          if (mayYield && performance.now() - heldSince >= SLICE_BUDGET_MS) {
            await ctx.yieldNow(); // scans go on between slices
            heldSince = performance.now();
          }
        }
      }
      const plan = planner.finish(recordErrors, replace);
      const summary = {
        dryRun,
        list: listName,
        replace,
        added: plan.added,
        updated: plan.updated,
        unchanged: plan.unchanged,
        removed: plan.removed,
        removedGuests: plan.removedGuests.slice(0, MAX_REMOVED_SHOWN),
        leftList: plan.leaving.length - plan.removals.length,
        errors: plan.errors,
      };
      // All-or-nothing: any blocking error and nothing is written; the user sees every error at once.
      if (plan.errors.length > 0 || dryRun) return { ...summary, applied: false };
      ctx.progress('writing', 0, total); // counts guests written: none yet (staging may still be finishing)
      // The worker renumbers and sorts the staged tables one by one; the chunked copy takes each as it
      // comes (a failure there plans again, staging nothing: ImportWrite.inChunks).
      stager?.finishInParts(planner.idPrefix);
      // The staged import's copy runs in a writer worker (import-writer.ts), started now: its start (loading
      // its modules, ~0.3 s of CPU) overlaps the staging worker's first part, which the copy waits for
      // anyway, while the door's thread has stopped checking. Started as the import began, it took that CPU
      // from the checking, when the door's thread and the staging worker keep both cores of a laptop busy.
      writer = stager === null ? null : ImportWriter.open(this.db);
      if (mayYield) await ctx.yieldNow(); // last chance to cancel an unstaged write: it is one transaction
      if (this.guests.revision !== revision) return 'plan_again';
      if (stager === null) this.writes.inOne(request, plan, null);
      else if (
        (await this.writes.inChunks(ctx, request, plan, stager, writer, planner.idPrefix, revision)) === 'plan_again'
      )
        return 'plan_again';
      ctx.progress('done', total, total);
      log.info('roster imported', {
        fileName,
        list: listName,
        replace,
        added: plan.added,
        updated: plan.updated,
        removed: plan.removed,
      });
      return { ...summary, applied: true };
    } finally {
      stager?.discard();
      await writer?.stop();
    }
  }

  /**
   * The roster the rows are matched against: a page at a time between scans, or at once on the last
   * attempt (which must not yield). Read after `revision` was taken, so a change meanwhile plans again.
   */
  private async readRoster(ctx: JobContext, planner: ImportPlanner, mayYield: boolean): Promise<void> {
    if (!mayYield) return planner.addExisting(loadGuestRecords(this.db));
    for (let after = ''; ;) {
      const page = loadGuestRecordPage(this.db, after, ROSTER_PAGE);
      planner.addExisting(page);
      if (page.length < ROSTER_PAGE) return;
      after = page[page.length - 1]!.id;
      await ctx.yieldNow();
    }
  }

  /** A worker-backed staging database for the new guests, or null (then they are inserted directly). */
  private openStager(): GuestStager | null {
    try {
      const dir = stagingDir(this.db);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, stagingFileName(STAGING_PREFIX, process.pid, randomBytes(6).toString('hex')));
      return GuestStager.open(this.db, path, { thread: this.spareWorker.take() });
    } catch (error) {
      log.warn('no staging worker; inserting directly', { error: String(error) });
      return null;
    }
  }
}
