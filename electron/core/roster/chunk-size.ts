/**
 * How many rows a big import's next chunk copies (import-chunks.ts on the door's thread, or the import
 * writer's worker: db/import-write-worker.ts). A chunk's statement runs about CHUNK_BUDGET_MS (its
 * COMMIT comes on top): the door's p99 during a 100,000-row import is ≤ 10 ms with a scan every 10 ms,
 * and a scan that wants to write waits for the rest of the chunk in progress on the door's thread (the
 * writer's worker ends its chunk early for the door instead: db/import-write-worker.ts). Rows per chunk adapt to
 * it, per table: a search-key row costs a fraction of a guest row.
 */
export const CHUNK_BUDGET_MS = 4;
export const FIRST_CHUNK_ROWS = 512;
const MIN_CHUNK_ROWS = 128;
const MAX_CHUNK_ROWS = 16_384;

/** The next chunk's rows after one of `size` rows whose statement took `ms`: grow while well under the budget, shrink when over. */
export function nextChunkRows(size: number, ms: number): number {
  if (ms < CHUNK_BUDGET_MS / 2) return Math.min(MAX_CHUNK_ROWS, size * 2);
  if (ms > CHUNK_BUDGET_MS) return Math.max(MIN_CHUNK_ROWS, Math.floor(size / 2));
  return size;
}
