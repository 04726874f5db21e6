import fs from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';

/** The B-trees (tables and indexes) whose pages one commit of `write` put in the WAL, by name. */
export function btreesWritten(db: BetterSqlite3.Database, write: () => void): string[] {
  // The kiosk's checkpoint worker may hold the WAL for a moment: then try again.
  for (let tries = 0; ; tries++) {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    if (result!.busy === 0) break;
    if (tries > 400) throw new Error('the WAL could not be reset');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  }
  write();
  const wal = fs.readFileSync(`${db.name}-wal`);
  const pageSize = wal.readUInt32BE(8);
  const pages = new Set<number>();
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) pages.add(wal.readUInt32BE(at));
  const names = db
    .prepare(`SELECT DISTINCT name FROM dbstat WHERE pageno IN (${[...pages].join(',')}) ORDER BY name`)
    .pluck()
    .all() as string[];
  // Page 1 (the schema's root, which holds the file's header) is written whenever the file grows.
  return names.filter((n) => n !== 'sqlite_schema');
}
