import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/open.ts';
import { IN_TXN, WANT, writeGateOf } from '../../electron/core/db/write-gate.ts';
import { chunkInsert } from '../../electron/core/roster/import-chunks.ts';
import { ImportWriter } from '../../electron/core/roster/import-writer.ts';
import { tempDir } from '../support/temp.ts';

/**
 * Issue 16: a big import's copy runs in a worker with its own connection (roster/import-writer.ts) and
 * takes turns with the door's transactions (db/write-gate.ts). A door transaction that reads and then
 * writes while the worker commits chunk after chunk must neither fail (SQLITE_BUSY_SNAPSHOT: no busy
 * timeout retries it) nor see a chunk half-written; a stopped copy writes no chunk more.
 */
const ROWS = 200_000;
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

/** A kiosk database (its connection gated, as the kiosk opens it) and a staged part of ROWS rows. */
function kioskAndPart(rows = ROWS): { db: Database; part: string } {
  const dir = tempDir('import-writer');
  const db = openDatabase(path.join(dir.dir, 'kiosk.sqlite'));
  cleanups.push(() => {
    if (db.open) db.close();
    dir.cleanup();
  });
  // Two rows per chunk row, in one statement: the door must see both of a row or neither.
  db.exec(`CREATE TABLE copied (n INTEGER NOT NULL, half INTEGER NOT NULL, PRIMARY KEY (n, half));
           CREATE TABLE door_writes (seen INTEGER NOT NULL, pairs_whole INTEGER NOT NULL);`);
  const part = path.join(dir.dir, 'part.db');
  const staged = new BetterSqlite3(part);
  staged.exec(`CREATE TABLE rows (n INTEGER NOT NULL, half INTEGER NOT NULL);
    WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ${rows / 2})
    INSERT INTO rows SELECT n, 0 FROM c UNION ALL SELECT n, 1 FROM c ORDER BY 1, 2;`);
  staged.close();
  return { db, part };
}

/** A chunk's statement for the staged rows (as roster/import-chunks.ts chunkSql makes them). */
const rangeCopy = (insert: string) =>
  `${insert} SELECT n, half FROM staging.rows WHERE rowid > @from AND rowid <= @to ORDER BY rowid`;

const partOf = (part: string) => ({
  path: part,
  staged: 'rows',
  statements: [{ sql: rangeCopy('INSERT INTO main.copied (n, half)'), parentCheck: '' }],
  list: '',
});

describe('the import writer and the door take turns', () => {
  it('door transactions that read, then write, all go through while the worker commits its chunks', async () => {
    // Long enough a copy that the door gets turns during it on a loaded machine: with 200,000 rows the
    // worker once copied them all before the door's thread ran at all (a suite at load ~5).
    const rows = 4 * ROWS;
    const { db, part } = kioskAndPart(rows);
    const writer = ImportWriter.open(db);
    expect(writer).not.toBeNull();
    const seen = new Set<number>();
    let doorTransactions = 0;
    // The door: a deferred transaction reads what is copied so far, holds it a moment, then writes.
    const door = db.transaction(() => {
      const n = db.prepare(`SELECT count(*) FROM copied`).pluck().get() as number;
      const pairs = db
        .prepare(`SELECT count(*) FROM (SELECT n FROM copied GROUP BY n HAVING count(*) = 2)`)
        .pluck()
        .get() as number;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      db.prepare(`INSERT INTO door_writes (seen, pairs_whole) VALUES (?, ?)`).run(n, pairs * 2 === n ? 1 : 0);
      seen.add(n);
      doorTransactions++;
    });
    let chunks = 0;
    const result = await writer!.copy(
      partOf(part),
      () => chunks++,
      async () => {
        door();
        await new Promise((resolve) => setImmediate(resolve));
      },
    );
    await writer!.stop();
    expect(result).toMatchObject({ kind: 'copied', rows });
    expect(db.prepare(`SELECT count(*) FROM copied`).pluck().get()).toBe(rows);
    expect(chunks).toBe(result.chunks);
    expect(chunks).toBeGreaterThan(1);
    // The worker ended chunks early for the door (it waited for one step of a chunk, not all of it).
    expect(result.steppedAside).toBeGreaterThan(0);
    // Every door transaction wrote, and never saw half a chunk.
    expect(db.prepare(`SELECT count(*) FROM door_writes`).pluck().get()).toBe(doorTransactions);
    expect(db.prepare(`SELECT count(*) FROM door_writes WHERE pairs_whole = 0`).pluck().get()).toBe(0);
    // The door ran while the copy went on, not only before or after it.
    expect([...seen].filter((n) => n > 0 && n < rows).length).toBeGreaterThan(0);
    const flags = writeGateOf(db)!.flags;
    expect([Atomics.load(flags, WANT), Atomics.load(flags, IN_TXN)]).toEqual([0, 0]);
  });

  it('takes long chunks while the door is quiet, short ones once the door has written', async () => {
    const { db, part } = kioskAndPart();
    db.exec(`CREATE TABLE copied_again (n INTEGER NOT NULL, half INTEGER NOT NULL, PRIMARY KEY (n, half))`);
    const door = () => db.transaction(() => db.prepare(`INSERT INTO door_writes VALUES (1, 1)`).run())();
    door(); // before the import: the event's setup, say
    const writer = ImportWriter.open(db)!;
    const gate = writeGateOf(db)!;
    // The import's own record, written by the door's thread just before the copy, is not the door at work.
    gate.notDoorWork(() => db.transaction(() => db.prepare(`INSERT INTO door_writes VALUES (0, 1)`).run())());
    const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
    const alone = await writer.copy(partOf(part), () => {}, turn);
    door(); // a scan checks someone in
    const afterDoor = await writer.copy(
      { ...partOf(part), statements: [{ sql: rangeCopy('INSERT INTO main.copied_again (n, half)'), parentCheck: '' }] },
      () => {},
      turn,
    );
    await writer.stop();
    expect(alone).toMatchObject({ kind: 'copied', rows: ROWS });
    expect(afterDoor).toMatchObject({ kind: 'copied', rows: ROWS });
    expect(alone.quietChunks).toBe(alone.chunks);
    expect(afterDoor.quietChunks).toBe(0); // the door wrote less than DOOR_QUIET_MS ago
  });

  it('a door that wrote while the import read its file keeps the copy’s chunks short from the first', async () => {
    const { db, part } = kioskAndPart();
    const writer = ImportWriter.open(db)!; // as the import starts, before its reading and checking
    db.transaction(() => db.prepare(`INSERT INTO door_writes VALUES (1, 1)`).run())();
    const copied = await writer.copy(
      partOf(part),
      () => {},
      () => new Promise<void>((resolve) => setImmediate(resolve)),
    );
    await writer.stop();
    expect(copied).toMatchObject({ kind: 'copied', rows: ROWS, quietChunks: 0 });
  });

  it('a chunk’s INSERT takes its whole transaction back when it fails (so SQLite keeps no statement journal for it)', () => {
    const { db } = kioskAndPart(2);
    expect(() => chunkInsert('DELETE FROM copied')).toThrow(/not a chunk insert/);
    db.exec(`BEGIN; INSERT INTO copied VALUES (1, 0);`);
    const insert = db.prepare(`${chunkInsert('INSERT INTO main.copied (n, half)')} VALUES (2, 0), (1, 0)`);
    expect(() => insert.run()).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }));
    expect(db.inTransaction).toBe(false); // a plain INSERT would have undone itself alone, from a statement journal
    expect(db.prepare(`SELECT count(*) FROM copied`).pluck().get()).toBe(0);
  });

  it('a chunk that breaks a constraint fails whole, with SQLite’s code; the chunks before it stay', async () => {
    const { db, part } = kioskAndPart();
    const taken = ROWS / 4;
    db.prepare(`INSERT INTO copied VALUES (?, 1)`).run(taken);
    const writer = ImportWriter.open(db)!;
    await expect(
      writer.copy(
        partOf(part),
        () => {},
        () => new Promise((resolve) => setImmediate(resolve)),
      ),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    const kept = db.prepare(`SELECT count(*) AS rows, max(n) AS last FROM copied WHERE NOT (n = ? AND half = 1)`);
    const { rows, last } = kept.get(taken) as { rows: number; last: number };
    expect(rows).toBeGreaterThan(0);
    expect(last).toBeLessThan(taken); // nothing of the failing chunk (the rows before the taken one in it)
    expect(rows % 2).toBe(0);
    db.transaction(() => db.prepare(`INSERT INTO door_writes VALUES (0, 1)`).run())(); // the worker let go
    await writer.stop();
  });

  it('foreign keys are not checked row by row but once per part: a part naming a missing parent fails after its copy', async () => {
    const { db, part } = kioskAndPart();
    const parents = ROWS / 4;
    db.exec(`CREATE TABLE parents (n INTEGER PRIMARY KEY);
      CREATE TABLE children (n INTEGER NOT NULL REFERENCES parents (n), half INTEGER NOT NULL);
      WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ${parents}) INSERT INTO parents SELECT n FROM c;`);
    const children = {
      ...partOf(part),
      statements: [
        {
          sql: rangeCopy('INSERT OR ROLLBACK INTO main.children (n, half)'),
          parentCheck: `SELECT n FROM (SELECT DISTINCT n FROM staging.rows) WHERE n NOT IN (SELECT n FROM main.parents) ORDER BY n`,
        },
      ],
    };
    const copy = async () => {
      const writer = ImportWriter.open(db)!; // one per copy: a failed writer is stopped (the import plans again)
      try {
        return await writer.copy(
          children,
          () => {},
          () => new Promise((resolve) => setImmediate(resolve)),
        );
      } finally {
        await writer.stop();
      }
    };
    // The first child without its parent is named, with SQLite's code for a foreign key (the import fails).
    await expect(copy()).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT_FOREIGNKEY',
      message: expect.stringContaining(`name ${parents + 1},`),
    });
    // Every chunk was written (the import's rollback takes them back: import-recovery.ts), and the check
    // saw what the copy wrote: with the parents there, the same part goes through.
    expect(db.prepare(`SELECT count(*) FROM children`).pluck().get()).toBe(ROWS);
    db.exec(`DELETE FROM children;
      WITH RECURSIVE c(n) AS (SELECT ${parents + 1} UNION ALL SELECT n + 1 FROM c WHERE n < ${ROWS / 2}) INSERT INTO parents SELECT n FROM c;`);
    await expect(copy()).resolves.toMatchObject({ kind: 'copied', rows: ROWS });
    expect(db.prepare(`PRAGMA foreign_key_check(children)`).all()).toEqual([]);
  });

  it("a part's rows go through each of its statements, in order, chunk by chunk", async () => {
    const { db, part } = kioskAndPart();
    db.exec(`CREATE TABLE copied_again (n INTEGER NOT NULL, half INTEGER NOT NULL, PRIMARY KEY (n, half))`);
    const writer = ImportWriter.open(db)!;
    // The second statement takes a row only once the first has copied it (a guest's list place after the guest).
    const afterFirst = `INSERT INTO main.copied_again (n, half) SELECT n, half FROM staging.rows s
      WHERE s.rowid > @from AND s.rowid <= @to
        AND EXISTS (SELECT 1 FROM main.copied c WHERE c.n = s.n AND c.half = s.half) ORDER BY s.rowid`;
    const copied = await writer.copy(
      { ...partOf(part), statements: [...partOf(part).statements, { sql: afterFirst, parentCheck: '' }] },
      () => {},
      () => new Promise((resolve) => setImmediate(resolve)),
    );
    await writer.stop();
    expect(copied).toMatchObject({ kind: 'copied', rows: ROWS });
    expect(copied.chunks).toBeGreaterThan(1);
    expect(db.prepare(`SELECT count(*) FROM copied`).pluck().get()).toBe(ROWS);
    expect(db.prepare(`SELECT count(*) FROM copied_again`).pluck().get()).toBe(ROWS);
  });

  it('a cancel stops the worker after the chunk it is in; nothing more is written and the door writes at once', async () => {
    const { db, part } = kioskAndPart();
    const writer = ImportWriter.open(db)!;
    let chunks = 0;
    const cancelled = new Error('cancelled');
    await expect(
      writer.copy(
        partOf(part),
        () => chunks++,
        async () => {
          if (chunks > 0) throw cancelled;
          await new Promise((resolve) => setImmediate(resolve));
        },
      ),
    ).rejects.toBe(cancelled);
    const written = db.prepare(`SELECT count(*) FROM copied`).pluck().get() as number;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(ROWS);
    expect(written % 2).toBe(0); // whole chunks only
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(db.prepare(`SELECT count(*) FROM copied`).pluck().get()).toBe(written);
    db.transaction(() => db.prepare(`INSERT INTO door_writes VALUES (0, 1)`).run())();
    expect(db.prepare(`SELECT count(*) FROM door_writes`).pluck().get()).toBe(1);
    await expect(
      writer.copy(
        partOf(part),
        () => {},
        async () => {},
      ),
    ).rejects.toThrow();
  });

  it('the kiosk closing mid-copy stops the worker: it starts no chunk after the close', async () => {
    const rows = 1_000_000; // far more chunks than the worker can write before the door hears of its first
    const { db, part } = kioskAndPart(rows);
    const file = db.name;
    const writer = ImportWriter.open(db)!;
    let chunks = 0;
    let atClose = -1;
    await expect(
      writer.copy(
        partOf(part),
        () => {
          if (++chunks === 1) {
            db.close(); // as kiosk.close() does, on the door's thread
            atClose = chunks;
          }
        },
        () => new Promise((resolve) => setImmediate(resolve)),
      ),
    ).rejects.toThrow(/closed/);
    const look = new BetterSqlite3(file, { readonly: true });
    try {
      const written = look.prepare(`SELECT count(*) FROM copied`).pluck().get() as number;
      expect(atClose).toBe(1);
      expect(written).toBeGreaterThan(0);
      expect(written).toBeLessThan(rows);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(look.prepare(`SELECT count(*) FROM copied`).pluck().get()).toBe(written);
    } finally {
      look.close();
    }
  });
});
