/**
 * How many rows a big import's next chunk copies (import-chunks.ts on the door's thread, or the import
 * writer's worker: db/import-write-worker.ts). A chunk's statement runs about CHUNK_BUDGET_MS (on the
 * door's thread its COMMIT comes on top; the worker counts its COMMIT in, which writes the chunk's
 * pages to the WAL while the door waits, and grew with the rows a cheaper statement let into a chunk):
 * the door's p99 during a 100,000-row import is ≤ 10 ms with a scan every 10 ms,
 * and a scan that wants to write waits for the rest of the chunk in progress on the door's thread (the
 * writer's worker ends its chunk early for the door instead: db/import-write-worker.ts). Rows per chunk adapt to
 * it, per table: a search-key row costs a fraction of a guest row.
 */
export const CHUNK_BUDGET_MS = 4;
/**
 * The writer worker's budget while the door has written nothing for DOOR_QUIET_MS (an organiser
 * importing before the doors open). Every COMMIT writes each page the chunk dirtied to the WAL, and the
 * next chunk dirties most of them again (the guests' by-organisation index has a page per organisation
 * in play): at 4 ms a chunk, a 100,000-guest copy wrote ~370 MB of WAL and spent ~40% of its time in
 * COMMITs; at 32 ms, ~75 MB (roster bench: the guests' copy 1.1 → 0.6 s). The door does not wait for
 * a whole such chunk: the worker looks for it after each eighth of one (import-write-worker.ts), so the
 * door's first write after a quiet spell waits for ~4 ms of statement and a COMMIT, once; it brings
 * the short budget back for the chunks after it.
 */
export const QUIET_CHUNK_BUDGET_MS = 32;
/** How long the door has not written before the writer takes QUIET_CHUNK_BUDGET_MS. */
export const DOOR_QUIET_MS = 3000;
export const FIRST_CHUNK_ROWS = 512;
const MIN_CHUNK_ROWS = 128;
const MAX_CHUNK_ROWS = 16_384;

/** The next chunk's rows after one of `size` rows whose statement took `ms`: grow while well under the budget, shrink when over. */
export function nextChunkRows(size: number, ms: number, budgetMs = CHUNK_BUDGET_MS): number {
  if (ms < budgetMs / 2) return Math.min(MAX_CHUNK_ROWS, size * 2);
  if (ms > budgetMs) return Math.max(MIN_CHUNK_ROWS, Math.floor(size / 2));
  return size;
}

/** The writer's budget for its next chunk, `sinceDoorWroteMs` after the door's last transaction. */
export function writerBudgetMs(sinceDoorWroteMs: number): number {
  return sinceDoorWroteMs < DOOR_QUIET_MS ? CHUNK_BUDGET_MS : QUIET_CHUNK_BUDGET_MS;
}

/**
 * A chunk's size when the budget changes: scaled with it, so the first chunk after the door wakes up
 * is already a short one (halving from a quiet-sized chunk took three chunks the door waited on).
 */
export function rescaledChunkRows(size: number, fromBudgetMs: number, toBudgetMs: number): number {
  const rows = Math.floor((size * toBudgetMs) / fromBudgetMs);
  return Math.min(MAX_CHUNK_ROWS, Math.max(MIN_CHUNK_ROWS, rows));
}
