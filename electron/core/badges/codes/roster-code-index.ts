import type { Database } from 'better-sqlite3';
import { WalSyncer, withoutSync } from '../../db/without-sync.ts';
import { createLogger } from '../../log.ts';

/**
 * The index of the roster's format 2 codes (`roster_code_index`): a roster badge is an HMAC of its
 * guest's id, so a scan finds its guest by looking the code up here. Each generation's coverage
 * (`roster_code_coverage`) remembers the last guest rowid indexed, so only guests added since are done.
 */
const log = createLogger('short-codes');
/** Guests the background indexer takes per tick: adapted to its time budget within these bounds. */
const MIN_INDEX_SLICE = 16;
const MAX_INDEX_SLICE = 4_096;

/**
 * Indexes up to `limit` (-1: all) guests added since `generation` was last covered; returns how many.
 * It stops at the first guest `notYet` names: a big import's new guests while it still writes them
 * (GuestStore.isPending). The door does not see them yet, and the import may take them back; indexing
 * their codes then cost the door's thread ~0.7–1.5 s of HMACs in small slices between the import's
 * chunks, the scans' wait. Coverage is one rowid per generation, so nothing after them is indexed either
 * until the import is done (a walk-in of those seconds: its own code verifies by its tag).
 */
export function indexRosterCodes(
  db: Database,
  generation: number,
  codeOf: (guestId: string) => string,
  limit = -1,
  notYet: (guestId: string) => boolean = () => false,
): number {
  const covered =
    (db.prepare(`SELECT max_guest_rowid FROM roster_code_coverage WHERE generation = ?`).pluck().get(generation) as
      number | undefined) ?? 0;
  const fresh = db
    .prepare(`SELECT rowid, id FROM guests WHERE rowid > ? ORDER BY rowid LIMIT ?`)
    .all(covered, limit) as Array<{ rowid: number; id: string }>;
  const held = fresh.findIndex((g) => notYet(g.id));
  const covering = held < 0 ? fresh : fresh.slice(0, held);
  // A scan's look-up (limit -1) also indexes the guests after the held ones — synced in or added while
  // the import writes, their badges may be at the door now — without moving the coverage past the held
  // ones. The indexer does them again after the import (INSERT OR IGNORE).
  const beyond = held >= 0 && limit < 0 ? fresh.slice(held).filter((g) => !notYet(g.id)) : [];
  if (covering.length + beyond.length === 0) return 0;
  const insert = db.prepare(`INSERT OR IGNORE INTO roster_code_index (code, guest_id) VALUES (?, ?)`);
  db.transaction(() => {
    for (const g of [...covering, ...beyond]) insert.run(codeOf(g.id), g.id);
    if (covering.length > 0)
      db.prepare(
        `INSERT INTO roster_code_coverage (generation, max_guest_rowid) VALUES (?, ?)
         ON CONFLICT (generation) DO UPDATE SET max_guest_rowid = excluded.max_guest_rowid`,
      ).run(generation, covering[covering.length - 1]!.rowid);
  })();
  return covering.length + beyond.length;
}

/**
 * Runs `indexSome` a slice per tick until stopped; each slice is sized to take about `budgetMs` (it runs
 * on the door's thread between scans). A fixed 2,000 guests a slice (an HMAC and an insert each) held
 * the thread 10–20 ms per tick while a big import's new guests were indexed: the scans arriving
 * meanwhile waited that long, enough to break the door's p99 during an import. Derived data, so its
 * commits skip the sync (without-sync.ts), and `wal` syncs their frames on libuv's thread pool: else the
 * next scan's FULL commit synced them, a tick's hundreds of random index pages (the codes are HMACs), for
 * the seconds the indexer catches up after a big import or an event package.
 */
export function startRosterCodeIndexer(
  db: Database,
  indexSome: (slice: number) => number,
  budgetMs: number,
  idleMs: number,
  wal: WalSyncer = new WalSyncer(db),
): () => void {
  let timer: NodeJS.Timeout | null = null;
  let slice = 128;
  const tick = () => {
    let did = 0;
    const began = performance.now();
    try {
      did = withoutSync(db, () => indexSome(slice));
    } catch (error) {
      log.warn('roster code indexing failed', { error: String(error) });
    }
    const ms = performance.now() - began;
    if (did > 0) wal.kick();
    if (did === slice && ms < budgetMs / 2) slice = Math.min(MAX_INDEX_SLICE, slice * 2);
    else if (ms > budgetMs) slice = Math.max(MIN_INDEX_SLICE, Math.floor(slice / 2));
    timer = setTimeout(tick, did > 0 ? 5 : idleMs);
    timer.unref();
  };
  timer = setTimeout(tick, 0);
  timer.unref();
  return () => {
    if (timer !== null) clearTimeout(timer);
    void wal.close(); // after a sync still running, if any: it only holds the WAL file open until then
  };
}
