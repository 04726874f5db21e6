import type { Database } from 'better-sqlite3';
import { createLogger } from '../log.ts';
import { processAlive } from '../process-alive.ts';

const log = createLogger('roster');

/**
 * The recovery record of a roster import that commits in chunks (migration 015, import-chunks.ts):
 * written with its first chunk, deleted by its last transaction. While it exists, the import's new
 * guests (ids guestFrom ≤ id < guestTo) are not on the roster; if the import fails, or its process dies,
 * everything it wrote is taken back here — it is all-or-nothing although it commits many times.
 */
export interface ImportRecord {
  id: string;
  guestFrom: string;
  guestTo: string;
  listId: string;
  /** The import made its list (a new list name): a rollback removes the list too. */
  listCreated: boolean;
  /** A search term id held just above the import's new terms, so no other writer takes theirs (0: none). */
  termReserve: number;
  pid: number;
  startedMs: number;
}

interface RecordRow {
  id: string;
  guest_from: string;
  guest_to: string;
  list_id: string;
  list_created: number;
  term_reserve: number;
  pid: number;
  started_ms: number;
}

/** Writes the record; the caller holds the transaction of the import's first chunk. */
export function writeImportRecord(db: Database, r: ImportRecord): void {
  db.prepare(
    `INSERT INTO import_jobs (id, guest_from, guest_to, list_id, list_created, term_reserve, pid, started_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.id, r.guestFrom, r.guestTo, r.listId, r.listCreated ? 1 : 0, r.termReserve, r.pid, r.startedMs);
  if (r.termReserve > 0)
    db.prepare(`INSERT INTO search_terms (id, source) VALUES (?, ?)`).run(r.termReserve, reserveSource(r.id));
}

/** The import's last transaction: its guests are on the roster now, so the record goes. The caller holds it. */
export function clearImportRecord(db: Database, r: ImportRecord): void {
  db.prepare(`DELETE FROM import_jobs WHERE id = ?`).run(r.id);
  if (r.termReserve > 0) db.prepare(`DELETE FROM search_terms WHERE id = ?`).run(r.termReserve);
}

/** The reserve term's text: no search key leads to it, and no name or organisation folds to it. */
const reserveSource = (importId: string): string => `\u0000import ${importId}`;

/**
 * Takes back up to `budget` of the import's guests (their codes, search keys, preferences, list places,
 * then the rows) in one transaction. Once none are left it removes the rest — the list it made, search
 * terms and typo words no guest uses any more, the record — and returns true. Safe to repeat after a
 * crash half-way: each step deletes only what is still there.
 */
export function rollBackSome(db: Database, r: ImportRecord, budget: number): boolean {
  return db.transaction(() => {
    const last = db
      .prepare(`SELECT id FROM guests WHERE id >= ? AND id < ? ORDER BY id LIMIT 1 OFFSET ?`)
      .pluck()
      .get(r.guestFrom, r.guestTo, Math.max(0, budget - 1)) as string | undefined;
    // `budget` guests (from ≤ id ≤ last), or all that are left (from ≤ id < to)
    const [within, args] =
      last === undefined
        ? ['guest_id >= ? AND guest_id < ?', [r.guestFrom, r.guestTo]]
        : ['guest_id BETWEEN ? AND ?', [r.guestFrom, last]];
    db.prepare(`DELETE FROM guest_codes WHERE ${within}`).run(...args);
    db.prepare(`DELETE FROM search_keys WHERE ${within}`).run(...args);
    db.prepare(`DELETE FROM guest_forum_preferences WHERE ${within}`).run(...args);
    db.prepare(`DELETE FROM list_members WHERE list_id = ? AND ${within}`).run(r.listId, ...args);
    db.prepare(`DELETE FROM guests WHERE ${within.replaceAll('guest_id', 'id')}`).run(...args);
    if (last !== undefined) return false;
    finishRollback(db, r);
    return true;
  })();
}

function finishRollback(db: Database, r: ImportRecord): void {
  if (r.listCreated)
    db.prepare(
      `DELETE FROM roster_lists WHERE id = ? AND NOT EXISTS (SELECT 1 FROM list_members WHERE list_id = ?)`,
    ).run(r.listId, r.listId);
  // Badge codes the roster indexer may have listed for the import's guests; rowids of deleted guests
  // are handed out again, so the indexer must look at them again.
  db.prepare(`DELETE FROM roster_code_index WHERE guest_id >= ? AND guest_id < ?`).run(r.guestFrom, r.guestTo);
  db.prepare(
    `UPDATE roster_code_coverage SET max_guest_rowid = min(max_guest_rowid, (SELECT coalesce(max(rowid), 0) FROM guests))`,
  ).run();
  if (r.termReserve > 0) db.prepare(`DELETE FROM search_terms WHERE id = ?`).run(r.termReserve);
  // Terms and typo words are shared with other guests: only those no guest uses any more go (a walk-in
  // during the import may use a term the import brought).
  const unused = `SELECT t.id FROM search_terms t
    WHERE NOT EXISTS (SELECT 1 FROM guests WHERE name_term = t.id)
      AND NOT EXISTS (SELECT 1 FROM guests WHERE org_term = t.id)`;
  db.exec(`DELETE FROM term_keys WHERE term_id IN (${unused});
           DELETE FROM search_terms WHERE id IN (${unused});
           DELETE FROM typo_keys WHERE NOT EXISTS (SELECT 1 FROM term_keys k WHERE k.key = typo_keys.word);`);
  db.prepare(`DELETE FROM import_jobs WHERE id = ?`).run(r.id);
}

const toRecord = (row: RecordRow): ImportRecord => ({
  id: row.id,
  guestFrom: row.guest_from,
  guestTo: row.guest_to,
  listId: row.list_id,
  listCreated: row.list_created === 1,
  termReserve: row.term_reserve,
  pid: row.pid,
  startedMs: row.started_ms,
});

/**
 * At open: rolls back every import whose writer is gone (killed, crashed, power lost) before anything
 * reads the roster. An import another live process is writing (`lanyard serve` while a CLI command opens
 * the same directory) is left to it. Returns how many were rolled back.
 */
export function recoverInterruptedImports(db: Database): number {
  const rows = db.prepare(`SELECT * FROM import_jobs`).all() as RecordRow[];
  let recovered = 0;
  for (const record of rows.map(toRecord)) {
    if (record.pid !== process.pid && processAlive(record.pid)) continue;
    while (!rollBackSome(db, record, Number.MAX_SAFE_INTEGER));
    log.warn('rolled back an import that did not finish', { importId: record.id, startedMs: record.startedMs });
    recovered++;
  }
  return recovered;
}
