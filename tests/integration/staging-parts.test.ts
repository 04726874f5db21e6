import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StagingDb, StagingFailed } from '../../electron/core/db/staging.ts';
import { tempDir } from '../support/temp.ts';

/**
 * A big import's staging worker writes its sorted tables one part file at a time and announces each as
 * soon as it is complete, so the chunked copy of one runs while the worker sorts the next (db/staging.ts,
 * guests/staging.ts finishInParts): the copy no longer waits for the whole finishing step.
 */
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function staging(): StagingDb {
  const dir = tempDir('staging-parts');
  const db = new StagingDb(
    path.join(dir.dir, 'lanyard-import-1-ab.db'),
    'CREATE TABLE t (a TEXT NOT NULL, b INTEGER NOT NULL) STRICT;',
  );
  cleanups.push(() => {
    db.discard();
    dir.cleanup();
  });
  return db;
}

/** A part that keeps the worker busy for a good while (millions of rows of a recursive count). */
const SLOW = `CREATE TABLE part.slow AS
  WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT sum(x) AS s FROM c;`;

describe('staging parts', () => {
  it('hands over a finished part while the worker still writes the next one', async () => {
    const db = staging();
    db.add('t', ['a', 'b'], ['张', 3, 'Ä', 1, 'x', 2]);
    db.finishInParts('UPDATE t SET b = b * 10', [
      { name: 'sorted', sql: 'CREATE TABLE part.sorted AS SELECT * FROM main.t ORDER BY b;' },
      { name: 'slow', sql: SLOW },
    ]);
    let slowReady = false;
    const slow = db.part('slow').then((file) => {
      slowReady = true;
      return file;
    });
    const file = await db.part('sorted');
    expect(slowReady).toBe(false); // the worker is still on the next part
    const part = new Database(file, { readonly: true });
    expect(part.prepare('SELECT a, b FROM sorted ORDER BY rowid').all()).toEqual([
      { a: 'Ä', b: 10 },
      { a: 'x', b: 20 },
      { a: '张', b: 30 },
    ]);
    part.close();
    const slowFile = await slow;
    const done = new Database(slowFile, { readonly: true });
    expect(done.prepare('SELECT s FROM slow').pluck().get()).toBe(4_500_001_500_000);
    done.close();
  });

  it('a worker that fails on a part fails that part and every later one; discard removes every file', async () => {
    const db = staging();
    db.add('t', ['a', 'b'], ['a', 1]);
    fs.mkdirSync(`${db.path}.broken`); // the worker cannot create this part's file
    db.finishInParts('', [
      { name: 'good', sql: 'CREATE TABLE part.good AS SELECT * FROM main.t;' },
      { name: 'broken', sql: 'CREATE TABLE part.broken AS SELECT * FROM main.t;' },
      { name: 'later', sql: 'CREATE TABLE part.later AS SELECT * FROM main.t;' },
    ]);
    const good = await db.part('good').catch((error: unknown) => error);
    await expect(db.part('broken')).rejects.toBeInstanceOf(StagingFailed);
    await expect(db.part('later')).rejects.toBeInstanceOf(StagingFailed);
    // 'good' was announced before the failure (or the failure came first): either way nothing is left.
    expect(typeof good === 'string' || good instanceof StagingFailed).toBe(true);
    fs.rmdirSync(`${db.path}.broken`);
    db.discard();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fs.readdirSync(path.dirname(db.path))).toEqual([]);
  });

  it('a worker behind the reading says so, and the owner waits for it instead of queueing the file in memory', async () => {
    const db = staging();
    // One big message keeps the worker busy while 300 small ones queue behind it.
    const big = Array.from({ length: 200_000 }, (_, i) => [`张${i}`, i]).flat();
    db.add('t', ['a', 'b'], big);
    for (let i = 0; i < 300; i++) db.add('t', ['a', 'b'], [`Jürgen ${i}`, i]);
    expect(db.behind).toBe(true);
    let waits = 0;
    while (db.behind) {
      await db.caughtUp(); // ≤ 50 ms each: the owner looks for a cancel in between
      waits++;
    }
    expect(waits).toBeGreaterThan(0);
    db.finishInParts('', [{ name: 'all', sql: 'CREATE TABLE part.all_rows AS SELECT count(*) AS n FROM main.t;' }]);
    const part = new Database(await db.part('all'), { readonly: true });
    expect(part.prepare('SELECT n FROM all_rows').pluck().get()).toBe(200_300); // nothing lost meanwhile
    part.close();
  });
});
