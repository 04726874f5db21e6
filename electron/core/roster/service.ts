import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { EventInfo } from '../../../shared/domain.ts';
import type { ExportFile, RosterPreview } from '../../../shared/roster/contract-types.ts';
import { cleanListName, defaultListName, MAX_LIST_NAME } from '../../../shared/roster/lists.ts';
import {
  detectMapping,
  detectPreset,
  presetMapping,
  presets,
  shapeKey,
  type ColumnMapping,
} from '../../../shared/roster/mapping.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import type { GuestStore } from '../guests/store.ts';
import type { JobRunner } from '../jobs.ts';
import { attendanceRows } from './attendance.ts';
import { attendanceCsv } from '../../../shared/roster/export/files.ts';
import type { ExportLanguage } from '../../../shared/roster/export/labels.ts';
import { attendanceBundle, attendanceXlsx, eventsJson } from './export-files.ts';
import { RosterImport } from './import-job.ts';
import type { ImportRequest } from './import-request.ts';
import { ListStore } from './lists.ts';
import { readUpload, type UploadedTable } from './read-off-thread.ts';
import { decodeUpload } from './upload-bytes.ts';
import { withShortGcPauses } from '../gc-pauses.ts';
import { lowerV8HelperThreads } from '../thread-priority.ts';

const JOB_TIME_LIMIT_MS = 5 * 60_000;
const KEEP_UPLOADS = 3;
/**
 * An upload this big (its bytes; base64 counted as what it decodes to) warms a staging worker for its
 * import (import-job.ts stages files of 10,000 rows or more: ~1 MB of CSV, ~0.5 MB of workbook). A
 * smaller file that warms one anyway only leaves it idle until it ends (db/staging-spare.ts).
 */
const WARM_STAGING_FROM_BYTES = 512 * 1024;

interface Upload {
  fileName: string;
  table: UploadedTable;
  /** The list name offered for it: its preset's system, else the file's base name. */
  listName: string;
}

/** Import and export of rosters, as jobs: upload → preview and mapping → import (or dry run); export. */
export class RosterService {
  private readonly db: Database;
  private readonly jobs: JobRunner;
  private readonly event: () => EventInfo;
  private readonly actor: () => string;
  private readonly uploads = new Map<string, Upload>();
  private readonly lists: ListStore;
  private readonly importer: RosterImport;

  constructor(
    db: Database,
    guests: GuestStore,
    jobs: JobRunner,
    event: () => EventInfo,
    actor: () => string,
    now: () => number,
  ) {
    this.db = db;
    this.jobs = jobs;
    this.event = event;
    this.actor = actor;
    this.lists = new ListStore(db);
    this.importer = new RosterImport(db, guests, this.lists, event, now);
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

  /** `file`: its bytes, or the base64 the screen sends (decoded inside the job, between scans). */
  startUpload(fileName: string, file: Uint8Array | { base64: string }): string {
    this.event();
    // A CSV is parsed on the door's thread: short scavenges meanwhile (gc-pauses.ts).
    return this.jobs.start('roster.upload', JOB_TIME_LIMIT_MS, (ctx) => {
      // The import's workers are about to keep both cores busy: V8's helpers go behind the door (once).
      lowerV8HelperThreads();
      // First: the worker's start overlaps the young generation's shrink and the parse, on the idle core.
      const size = file instanceof Uint8Array ? file.byteLength : (file.base64.length * 3) / 4;
      if (size >= WARM_STAGING_FROM_BYTES) this.importer.spareWorker.warm();
      return withShortGcPauses(async () => {
        const bytes = file instanceof Uint8Array ? file : await decodeUpload(fileName, file.base64, ctx.yieldNow);
        ctx.progress('reading', 0, bytes.byteLength);
        const table = await readUpload(fileName, bytes, (n) => ctx.progress('reading', n, 0));
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
          sample: table.rows.first(8),
          rowCount: table.rows.rowCount,
          mapping: remembered ?? detectMapping(table.headers),
          remembered: remembered !== null,
          presets: Object.entries(presets).map(([id, p]) => ({ id, label: p.label, listName: p.listName })),
          detectedPreset,
          listName,
        };
        return preview;
      });
    });
  }

  /** Stops what waits for the next import (a warm staging worker): the kiosk closes. */
  close(): Promise<void> {
    return this.importer.spareWorker.close();
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
    return this.jobs.start('roster.import', JOB_TIME_LIMIT_MS, (ctx) => this.importer.run(ctx, request));
  }

  /** The guest lists with their counts and last import, and how many guests are on none. */
  listSummaries() {
    this.event();
    return { lists: this.lists.all(), unlisted: this.lists.unlistedCount() };
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
