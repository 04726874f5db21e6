import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { listKey } from '../../../shared/roster/lists.ts';
import { shapeKey } from '../../../shared/roster/mapping.ts';
import { StagingFailed } from '../db/staging.ts';
import type { GuestStager } from '../guests/staging.ts';
import type { GuestStore } from '../guests/store.ts';
import type { JobContext } from '../jobs.ts';
import { createLogger } from '../log.ts';
import { applyImport, type ImportPlan } from './importer.ts';
import { ChunkedImportWrite } from './import-chunks.ts';
import type { ImportRequest } from './import-request.ts';
import type { ImportWriter } from './import-writer.ts';
import type { ListStore } from './lists.ts';

const log = createLogger('roster');

/**
 * An import's plan written (import-job.ts plans it): a small one in one transaction, a staged one in
 * chunks and then that transaction. All-or-nothing either way.
 */
export class ImportWrite {
  private readonly db: Database;
  private readonly guests: GuestStore;
  private readonly lists: ListStore;
  private readonly now: () => number;

  constructor(db: Database, guests: GuestStore, lists: ListStore, now: () => number) {
    this.db = db;
    this.guests = guests;
    this.lists = lists;
    this.now = now;
  }

  /**
   * A staged import's write: the new guests in short chunks with the door going on between them
   * (import-chunks.ts), then one short transaction with the rest of the plan that puts them on the roster.
   * Anything failing before that takes every chunk back.
   */
  async inChunks(
    ctx: JobContext,
    request: ImportRequest,
    plan: ImportPlan,
    stager: GuestStager,
    copier: ImportWriter | null,
    guestPrefix: string,
    revision: number,
  ): Promise<'written' | 'plan_again'> {
    const { fileName, listName } = request;
    const rowCount = request.table.rows.rowCount;
    const writer = new ChunkedImportWrite(
      this.db,
      this.guests,
      stager,
      copier,
      guestPrefix,
      this.lists.find(listName)?.id ?? null,
    );
    try {
      const list = { name: listName, nameKey: listKey(listName), fileName, now: this.now() };
      await writer.copy(
        list,
        () => ctx.yieldNow(),
        // The copy counts rows of every staged table (codes, search terms, …: ~60 per guest); the screen
        // says "guests", so it is shown as that share of the file's guests.
        (done, all) => ctx.progress('writing', Math.floor((done / Math.max(1, all)) * rowCount), rowCount),
      );
      // Updates, list places and removals were planned against the roster as it was: if it changed
      // meanwhile, plan again. New guests alone do not depend on it (a walk-in who came in meanwhile is
      // a guest added after the import, as they would be a second later).
      if (this.guests.revision !== revision && dependsOnRoster(plan)) {
        await writer.rollBack();
        return 'plan_again';
      }
      this.inOne(request, plan, 'written', () => writer.finishIn());
      writer.reveal();
      return 'written';
    } catch (error) {
      await writer.rollBack();
      if (error instanceof StagingFailed || stager.failed) {
        log.warn('staging failed; importing again without it', { error: String(error) });
        return 'plan_again'; // the last attempt stages nothing
      }
      // Another writer took a search term or a code the import staged while it wrote: plan again.
      const code = (error as { code?: unknown }).code;
      if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'plan_again';
      throw error;
    }
  }

  /** The import's one transaction: guests, list, updates, removals, the remembered mapping, the import record. */
  inOne(
    { fileName, table, mapping, listName, actor }: ImportRequest,
    plan: ImportPlan,
    staged: 'written' | null,
    alsoIn: () => void = () => {},
  ) {
    this.db.transaction(() => {
      const listId = this.lists.touch(listName, fileName, this.now());
      applyImport(this.guests, this.lists, listId, plan, staged);
      alsoIn();
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
  }
}

/** Whether a plan changes guests who were on the roster when it was made (not only adds new ones). */
function dependsOnRoster(plan: ImportPlan): boolean {
  return plan.updates.length + plan.matched.length + plan.leaving.length + plan.removals.length > 0;
}
