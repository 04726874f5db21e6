import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WalSyncer, withoutSync } from '../../electron/core/db/without-sync.ts';
import { tempDir } from '../support/temp.ts';

/**
 * A big import's chunks commit without a sync; WalSyncer syncs their WAL frames on libuv's thread pool so
 * that the next scan's FULL commit does not (import-chunks.ts). One sync at a time, never a failure.
 */
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function database(journal: 'wal' | 'delete'): Database.Database {
  const dir = tempDir('wal-sync');
  const db = new Database(path.join(dir.dir, 'kiosk.db'));
  cleanups.push(() => {
    db.close();
    dir.cleanup();
  });
  db.pragma(`journal_mode = ${journal}`);
  db.exec('CREATE TABLE t (x TEXT)');
  return db;
}

describe('syncing a WAL off the thread', () => {
  it('runs one sync at a time and lets go of the file when closed', async () => {
    const db = database('wal');
    const syncer = new WalSyncer(db);
    withoutSync(db, () => db.prepare(`INSERT INTO t VALUES ('a chunk')`).run());
    syncer.kick();
    syncer.kick(); // the first one is still running: this one is left out
    expect(syncer.syncs).toBe(1);
    await syncer.close();
    syncer.kick(); // after it finished, the next kick syncs again
    expect(syncer.syncs).toBe(2);
    await syncer.close();
    expect(db.prepare('SELECT x FROM t').pluck().all()).toEqual(['a chunk']);
  });

  // SQLite applies `PRAGMA synchronous` while preparing it: a statement prepared once and run again is
  // a no-op on its first run (tried, to save ~25 µs per chunk, and caught here). db.pragma prepares each time.
  it('withoutSync runs with NORMAL and puts FULL back every time, also when the transaction throws (R2)', () => {
    const db = database('wal');
    db.pragma('synchronous = FULL');
    const level = () => db.pragma('synchronous', { simple: true });
    for (let i = 0; i < 3; i++) {
      expect(withoutSync(db, () => level())).toBe(1);
      expect(level()).toBe(2);
      expect(() =>
        withoutSync(db, () =>
          db.transaction(() => {
            db.prepare(`INSERT INTO t VALUES ('taken back')`).run();
            throw new Error('a failing chunk');
          })(),
        ),
      ).toThrow('a failing chunk');
      expect(level()).toBe(2);
    }
    expect(db.prepare(`SELECT count(*) FROM t`).pluck().get()).toBe(0);
  });

  it('gives up quietly where there is no WAL to sync: the next FULL commit syncs as before', async () => {
    const db = database('delete');
    const syncer = new WalSyncer(db);
    syncer.kick();
    await syncer.close();
    syncer.kick(); // failed once: not tried again
    expect(syncer.syncs).toBe(1);
    await syncer.close();
  });
});
