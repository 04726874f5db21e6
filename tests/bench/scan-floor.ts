/**
 * The floor a scan is measured against: the least a scan can cost on this machine — an indexed
 * select and a one-row insert transaction, on its own database with the kiosk's durability pragmas (WAL,
 * synchronous=FULL). Shared by core-bench.ts and scan-probe.ts so that both measure against the same one.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

export interface ScanFloor {
  db: BetterSqlite3.Database;
  /** One floor sample: look `code` up, append one row, commit. */
  once: (code: string) => void;
}

/** The floor's database in `workDir`, holding `codes` (each a code and its guest's id). */
export function openScanFloor(
  workDir: string,
  codes: ReadonlyArray<readonly [code: string, guestId: string]>,
): ScanFloor {
  const db = new BetterSqlite3(path.join(workDir, 'floor.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE codes (code TEXT PRIMARY KEY, guest_id TEXT NOT NULL) STRICT, WITHOUT ROWID;
           CREATE TABLE log (id INTEGER PRIMARY KEY, guest_id TEXT NOT NULL, t INTEGER NOT NULL) STRICT;`);
  const insertCode = db.prepare(`INSERT INTO codes VALUES (?, ?)`);
  db.transaction(() => codes.forEach(([code, guestId]) => insertCode.run(code, guestId)))();
  const select = db.prepare(`SELECT guest_id FROM codes WHERE code = ?`);
  const insertLog = db.prepare(`INSERT INTO log (guest_id, t) VALUES (?, ?)`);
  const once = db.transaction((code: string) => {
    const row = select.get(code) as { guest_id: string };
    insertLog.run(row.guest_id, Date.now());
  });
  return { db, once };
}

/**
 * The WAL frames (pages) one commit of `write` appends to `db`'s WAL: the WAL is checkpointed and
 * truncated first, its size read after. A count, not a timing: the machine's load does not move it.
 * NaN when the WAL could not be reset (another connection kept reading it): the caller leaves it out.
 */
export function walFramesOf(db: BetterSqlite3.Database, write: () => void): number {
  // Busy while another connection (the kiosk's checkpoint worker) checkpoints: then the WAL is not reset.
  let reset = false;
  for (let tries = 0; tries < 200 && !reset; tries++) {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    reset = result!.busy === 0;
    if (!reset) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  }
  write();
  const bytes = fs.statSync(`${db.name}-wal`).size;
  const WAL_HEADER = 32;
  const FRAME_HEADER = 24;
  if (!reset) return Number.NaN;
  return bytes === 0 ? 0 : (bytes - WAL_HEADER) / ((db.pragma('page_size', { simple: true }) as number) + FRAME_HEADER);
}
