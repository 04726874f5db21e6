import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { EventInfo } from '../../../shared/domain.ts';
import {
  MAX_REMOVED_SHOWN,
  type ExportFile,
  type ImportSummary,
  type RosterPreview,
} from '../../../shared/roster/contract-types.ts';
import { cleanListName, defaultListName, MAX_LIST_NAME } from '../../../shared/roster/lists.ts';
import {
  detectMapping,
  detectPreset,
  presetMapping,
  presets,
  shapeKey,
  type ColumnMapping,
} from '../../../shared/roster/mapping.ts';
import { RecordReader, type RowError } from '../../../shared/roster/records.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { removeStaleStagingFiles, stagingFileName } from '../db/staging.ts';
import { GuestStager } from '../guests/staging.ts';
import { loadGuestRecords } from '../guests/records.ts';
import type { GuestStore } from '../guests/store.ts';
import type { JobContext, JobRunner } from '../jobs.ts';
import { createLogger } from '../log.ts';
import { attendanceRows } from './attendance.ts';
import { attendanceCsv } from '../../../shared/roster/export/files.ts';
import type { ExportLanguage } from '../../../shared/roster/export/labels.ts';
import { attendanceBundle, attendanceXlsx, eventsJson } from './export-files.ts';
import { applyImport, ImportPlanner, type ImportPlan } from './importer.ts';
import { ListStore } from './lists.ts';
import { readTable, type Table } from './read-table.ts';

const log = createLogger('roster');
const JOB_TIME_LIMIT_MS = 5 * 60_000;
const KEEP_UPLOADS = 3;
/**
 * Rows read and matched in one slice; after each slice the import yields to scans once it has held the
 * thread this long. A scan arriving meanwhile waits at most about that: the door's p99 stays ≤ 10 ms
 * during an import (5,000-row chunks held it for 0.2–3 s, depending on the machine's load).
 */
const SLICE_ROWS = 50;
const SLICE_BUDGET_MS = 4;
/** Files this long stage their new guests in a worker (guests/staging.ts); shorter ones insert directly. */
const STAGE_FROM_ROWS = 10_000;
const MAX_PLANS = 3;
const STAGING_PREFIX = 'lanyard-import-';

/**
 * Staging files hold the new guests' names and emails: they live inside the (owner-only) data directory,
 * never in the shared temp folder, where another user could read them.
 */
function stagingDir(db: Database): string {
  return join(dirname(db.name), 'staging');
}

interface Upload {
  fileName: string;
  table: Table;
  /** The list name offered for it: its preset's system, else the file's base name. */
  listName: string;
}

/** What one import is asked to do, once its file is read. */
interface ImportRequest {
  fileName: string;
  table: Table;
  mapping: ColumnMapping;
  dryRun: boolean;
  listName: string;
  replace: boolean;
  /** Who asked for it, read when the job starts: a supervisor's approval lasts for that call only. */
  actor: string;
}

/** Import and export of rosters, as jobs: upload → preview and mapping → import (or dry run); export. */
export class RosterService {
  private readonly db: Database;
  private readonly guests: GuestStore;
  private readonly jobs: JobRunner;
  private readonly event: () => EventInfo;
  private readonly actor: () => string;
  private readonly now: () => number;
  private readonly uploads = new Map<string, Upload>();
  private readonly lists: ListStore;

  constructor(
    db: Database,
    guests: GuestStore,
    jobs: JobRunner,
    event: () => EventInfo,
    actor: () => string,
    now: () => number,
  ) {
    this.db = db;
    this.guests = guests;
    this.jobs = jobs;
    this.event = event;
    this.actor = actor;
    this.now = now;
    this.lists = new ListStore(db);
    removeStaleStagingFiles(stagingDir(db), STAGING_PREFIX, Date.now()); // file times are real time, not the event clock
  }

  private rememberedMapping(headers: readonly string[]): ColumnMapping | null {
    const row = this.db.prepare(`SELECT mapping FROM import_mappings WHERE shape = ?`).get(shapeKey(headers)) as
      { mapping: string } | undefined;
    return row === undefined ? null : (JSON.parse(row.mapping) as ColumnMapping);
  }

  private upload(uploadId: string): Upload {
    const upload = this.uploads.get(uploadId);
    if (upload === undefined)
      throw new LanyardFailure('upload_not_found', 'that file is no longer loaded; choose it again');
    return upload;
  }

  startUpload(fileName: string, bytes: Uint8Array): string {
    this.event();
    return this.jobs.start('roster.upload', JOB_TIME_LIMIT_MS, async (ctx) => {
      ctx.progress('reading', 0, bytes.byteLength);
      const table = await readTable(fileName, bytes, (n) => ctx.progress('reading', n, 0));
      const uploadId = `up_${randomBytes(6).toString('hex')}`;
      const detectedPreset = detectPreset(table.headers);
      const listName = defaultListName(fileName, detectedPreset);
      this.uploads.set(uploadId, { fileName, table, listName });
      for (const key of [...this.uploads.keys()].slice(0, Math.max(0, this.uploads.size - KEEP_UPLOADS)))
        this.uploads.delete(key);
      const remembered = this.rememberedMapping(table.headers);
      const preview: RosterPreview = {
        uploadId,
        fileName,
        format: table.format,
        encoding: table.encoding,
        delimiter: table.delimiter,
        headers: table.headers,
        sample: table.rows.slice(0, 8),
        rowCount: table.rows.length,
        mapping: remembered ?? detectMapping(table.headers),
        remembered: remembered !== null,
        presets: Object.entries(presets).map(([id, p]) => ({ id, label: p.label, listName: p.listName })),
        detectedPreset,
        listName,
      };
      return preview;
    });
  }

  presetMapping(uploadId: string, preset: string): ColumnMapping {
    const mapping = presetMapping(preset, this.upload(uploadId).table.headers);
    if (mapping === null) throw new LanyardFailure('invalid_input', `no preset called ${preset}`);
    return mapping;
  }

  /**
   * `listName`: the list the file belongs to (undefined: the name the preview offered). `replace`: the
   * file is that list's complete file, so its members missing from it leave the list. A complete-list
   * import that is not a dry run needs a supervisor: gated before it gets here (shared/staff/gates.ts).
   */
  startImport(
    uploadId: string,
    mapping: ColumnMapping,
    dryRun: boolean,
    listName: string | undefined,
    replace: boolean,
  ): string {
    const { fileName, table, listName: offered } = this.upload(uploadId);
    for (const index of Object.values(mapping)) {
      if (index >= table.headers.length)
        throw new LanyardFailure('invalid_input', `column ${index + 1} is not in the file`);
    }
    const list = cleanListName(listName ?? offered);
    if (list === null)
      throw new LanyardFailure('invalid_input', `a list needs a name of 1 to ${MAX_LIST_NAME} characters`);
    const request: ImportRequest = { fileName, table, mapping, dryRun, listName: list, replace, actor: this.actor() };
    return this.jobs.start('roster.import', JOB_TIME_LIMIT_MS, (ctx) => this.runImport(ctx, request));
  }

  /** The guest lists with their counts and last import, and how many guests are on none. */
  listSummaries() {
    this.event();
    return { lists: this.lists.all(), unlisted: this.lists.unlistedCount() };
  }

  private async runImport(ctx: JobContext, request: ImportRequest): Promise<ImportSummary> {
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
    const total = table.rows.length;
    const revision = this.guests.revision;
    const reader = new RecordReader(table.headers, mapping, this.event().forums);
    let stager = !dryRun && mayYield && total >= STAGE_FROM_ROWS ? this.openStager() : null;
    const membership = this.lists.membership(this.lists.find(listName)?.id ?? null);
    const planner = new ImportPlanner(loadGuestRecords(this.db), stager === null, membership);
    try {
      const recordErrors: RowError[] = [];
      let heldSince = performance.now();
      for (let first = 0; first < total; first += SLICE_ROWS) {
        ctx.progress('checking', first, total);
        const { records, errors } = reader.read(table.rows.slice(first, first + SLICE_ROWS), first);
        recordErrors.push(...errors);
        const fresh = planner.add(records);
        if (stager !== null && recordErrors.length + planner.errorCount > 0) {
          stager.discard(); // the file has errors, so nothing will be written: stop staging
          stager = null;
        }
        stager?.add(fresh);
        if (mayYield && performance.now() - heldSince >= SLICE_BUDGET_MS) {
          await ctx.yieldNow(); // scans go on between slices
          heldSince = performance.now();
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
      ctx.progress('writing', total, total);
      if (stager !== null) {
        try {
          await stager.finish();
        } catch (error) {
          log.warn('staging failed; importing again without it', { error: String(error) });
          return 'plan_again'; // the last attempt stages nothing
        }
      }
      if (mayYield) await ctx.yieldNow(); // last chance to cancel: the write below is one transaction
      if (this.guests.revision !== revision) return 'plan_again';
      this.write(request, plan, stager);
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
    }
  }

  /** A worker-backed staging database for the new guests, or null (then they are inserted directly). */
  private openStager(): GuestStager | null {
    try {
      const dir = stagingDir(this.db);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, stagingFileName(STAGING_PREFIX, process.pid, randomBytes(6).toString('hex')));
      return GuestStager.open(this.db, path);
    } catch (error) {
      log.warn('no staging worker; inserting directly', { error: String(error) });
      return null;
    }
  }

  /** The import's one transaction: guests, list, updates, removals, the remembered mapping, the import record. */
  private write(
    { fileName, table, mapping, listName, actor }: ImportRequest,
    plan: ImportPlan,
    staged: GuestStager | null,
  ) {
    // ATTACH is not allowed inside a transaction; nothing else runs on this connection in between.
    if (staged !== null) this.db.prepare(`ATTACH ? AS staging`).run(staged.path);
    try {
      this.db.transaction(() => {
        const listId = this.lists.touch(listName, fileName, this.now());
        applyImport(this.guests, this.lists, listId, plan, staged);
        this.db
          .prepare(
            `INSERT INTO import_mappings (shape, mapping, updated_ms) VALUES (?, ?, ?) ON CONFLICT (shape) DO UPDATE SET mapping = excluded.mapping, updated_ms = excluded.updated_ms`,
          )
          .run(shapeKey(table.headers), JSON.stringify(mapping), this.now());
        this.db
          .prepare(
            `INSERT INTO roster_imports (id, file_name, actor, wall_ms, added, updated, unchanged, removed, list_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            `imp_${randomBytes(6).toString('hex')}`,
            fileName,
            actor,
            this.now(),
            plan.added,
            plan.updated,
            plan.unchanged,
            plan.removed,
            listId,
          );
      })();
    } finally {
      if (staged !== null) this.db.exec('DETACH staging');
    }
  }

  startExport(format: 'csv' | 'xlsx' | 'json' | 'bundle', forumId: string, lang: ExportLanguage | null = null): string {
    const event = this.event();
    const locale = lang === null ? null : { lang, forums: event.forums };
    if (forumId !== '' && !event.forums.some((f) => f.id === forumId))
      throw new LanyardFailure('forum_not_found', `no forum with id ${forumId}`);
    return this.jobs.start('roster.export', JOB_TIME_LIMIT_MS, async (ctx): Promise<ExportFile> => {
      ctx.progress('collecting', 0, 3);
      const rows = attendanceRows(this.db, event.timezone, forumId);
      await ctx.yieldNow();
      ctx.progress('writing', 1, 3);
      const base = `attendance-${event.id}${forumId ? `-${forumId}` : ''}`;
      const file =
        format === 'csv'
          ? { fileName: `${base}.csv`, mime: 'text/csv', data: attendanceCsv(rows, locale) }
          : format === 'xlsx'
            ? {
                fileName: `${base}.xlsx`,
                mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
                data: await attendanceXlsx(rows, event, locale),
              }
            : format === 'json'
              ? {
                  fileName: `events-${event.id}.json`,
                  mime: 'application/json',
                  data: eventsJson(this.db, event.timezone),
                }
              : {
                  fileName: `${base}.zip`,
                  mime: 'application/zip',
                  data: await attendanceBundle(this.db, rows, event),
                };
      ctx.progress('done', 3, 3);
      return {
        fileName: file.fileName,
        mime: file.mime,
        dataBase64: Buffer.from(file.data).toString('base64'),
        rows: rows.length,
      };
    });
  }
}
