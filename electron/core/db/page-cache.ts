import type { Database } from 'better-sqlite3';

/**
 * The door's connection keeps a small page cache; bulk writes raise it while they run.
 *
 * Why small: every COMMIT ends with SQLite truncating its page cache to the database's size
 * (pager_end_transaction → pcache1Truncate). A B-tree balance that puts its new pages in ascending order
 * swaps two of them through the pending-byte page's number (page 262,145 with 4 KiB pages, far beyond our
 * files), so the cache's largest key is then past the end and that truncate walks the whole cache: every
 * hash bucket and every cached page. With 64 MiB (16,384 pages) that walk was ~0.4 ms of CPU on a loaded
 * machine (perf: pcache1TruncateUnsafe, 190 samples at 4 kHz over 2,000 scans) and landed in ~6 % of
 * scans (gdb: 63 walks of 16,384 buckets in 1,000 scans, every one after such a swap) — the scan's p99 on
 * a quiet machine. 4 MiB keeps the door's hot pages (interior pages of the roster's indexes); the rest
 * comes from the OS's cache, and neither scan nor search medians moved (250,000 guests, alternating).
 *
 * Why raised for bulk work: a 100,000-guest import writes ~1.6 M search-key rows in one transaction, and
 * a cache smaller than its dirty pages makes SQLite spill them to the WAL mid-transaction (measured ~10×
 * slower); an import's chunks and a pull's slices also revisit the same pages chunk after chunk.
 */
export const DOOR_CACHE_KIB = 4096;
export const BULK_CACHE_KIB = 65_536;

interface CacheState {
  /** Bulk sections running (they nest: an import's transaction calls insertMany). */
  holders: number;
  raised: boolean;
}

const states = new WeakMap<Database, CacheState>();

function stateOf(db: Database): CacheState {
  let state = states.get(db);
  if (state === undefined) {
    state = { holders: 0, raised: false };
    states.set(db, state);
  }
  return state;
}

/** The door's cache size: at open, and again once no bulk work holds the larger one. */
export function useDoorCache(db: Database): void {
  db.pragma(`cache_size = -${DOOR_CACHE_KIB}`);
  stateOf(db).raised = false;
}

/**
 * Puts the door's cache size back if bulk work left it raised and none runs now. A bulk section that ended
 * inside its caller's transaction cannot shrink the cache then (its dirty pages would spill to the WAL before
 * the commit): the door's next write settles it (CheckinService), outside any transaction. Cheap when
 * there is nothing to do.
 */
export function settleDoorCache(db: Database): void {
  const state = states.get(db);
  if (state === undefined || !state.raised || state.holders > 0 || db.inTransaction) return;
  useDoorCache(db);
}

/**
 * Runs `work` (synchronous, or a promise for work that yields to the door meanwhile, like an import's
 * chunks) with the bulk cache size, and settles back to the door's size when the outermost section ends.
 */
export function withBulkCache<T>(db: Database, work: () => T): T {
  const state = stateOf(db);
  if (state.holders++ === 0 && !state.raised) {
    db.pragma(`cache_size = -${BULK_CACHE_KIB}`);
    state.raised = true;
  }
  const release = () => {
    state.holders--;
    if (db.open) settleDoorCache(db);
  };
  let result: T;
  try {
    result = work();
  } catch (error) {
    release();
    throw error;
  }
  if (result instanceof Promise) return result.finally(release) as T;
  release();
  return result;
}
