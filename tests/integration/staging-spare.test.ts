import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SpareStagingThread } from '../../electron/core/db/staging-spare.ts';
import { StagingDb } from '../../electron/core/db/staging.ts';
import { tempDir } from '../support/temp.ts';

/**
 * A big file's upload starts the staging worker its import will use (db/staging-spare.ts), so that the
 * worker's start (its modules, the search keys' dictionaries) is not the import's. A spare is an
 * ordinary staging worker told its file late; it never outlives its use, its idle time or the kiosk.
 */
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function spare(idleMs?: number): SpareStagingThread {
  const s = new SpareStagingThread(idleMs);
  cleanups.push(() => s.close());
  return s;
}

async function until(done: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a spare staging worker', () => {
  it('starts as it is warmed, and an import that takes it stages into its own file', async () => {
    const spares = spare();
    expect(spares.waiting).toBeNull();
    spares.warm();
    expect(spares.waiting).toBe('starting');
    await until(() => spares.waiting === 'online', 'the spare to come online');
    spares.warm(); // one spare at a time
    const thread = spares.take();
    expect(spares.waiting).toBeNull();

    const dir = tempDir('staging-spare');
    const file = path.join(dir.dir, 'lanyard-import-1-ab.db');
    const staging = new StagingDb(file, 'CREATE TABLE t (a TEXT NOT NULL, b INTEGER NOT NULL) STRICT;', thread);
    cleanups.push(() => dir.cleanup());
    cleanups.push(() => staging.discard());
    staging.add('t', ['a', 'b'], ['张', 2, 'Ä', 1]);
    staging.finishInParts('', [
      { name: 'sorted', sql: 'CREATE TABLE part.sorted AS SELECT * FROM main.t ORDER BY b;' },
    ]);
    const part = new Database(await staging.part('sorted'), { readonly: true });
    expect(part.prepare('SELECT a FROM sorted ORDER BY rowid').pluck().all()).toEqual(['Ä', '张']);
    part.close();
  });

  it('starts a worker of its own for an import when none is warm', async () => {
    const spares = spare();
    const thread = spares.take();
    cleanups.push(async () => void (await thread.worker.terminate()));
    const online = new Promise((resolve) => thread.worker.once('online', resolve));
    await online;
    expect(spares.waiting).toBeNull();
  });

  it('stops a spare that no import took in time', async () => {
    const spares = spare(200);
    spares.warm();
    await until(() => spares.waiting === 'online', 'the spare to come online');
    await until(() => spares.waiting === null, 'the idle spare to stop', 5_000);
  });

  it('stops the spare when the kiosk closes, and warms none after that', async () => {
    const spares = spare();
    spares.warm();
    await until(() => spares.waiting === 'online', 'the spare to come online');
    await spares.close();
    expect(spares.waiting).toBeNull();
    spares.warm();
    expect(spares.waiting).toBeNull();
  });
});

describe('a staging file that cannot be made', () => {
  it('stops the worker it was given, warm or not, and says why', async () => {
    const spares = spare();
    spares.warm();
    await until(() => spares.waiting === 'online', 'the spare to come online');
    const thread = spares.take();
    const exited = new Promise<number>((resolve) => thread.worker.once('exit', resolve));
    const dir = tempDir('staging-spare');
    cleanups.push(() => dir.cleanup());
    // A directory where the file should be: removing it as a stale file fails (EISDIR / ENOTEMPTY).
    const taken = path.join(dir.dir, 'lanyard-import-1-ab.db');
    fs.mkdirSync(path.join(taken, 'inside'), { recursive: true });
    expect(() => new StagingDb(taken, 'CREATE TABLE t (a TEXT) STRICT;', thread)).toThrow();
    expect(await exited).toBe(1);
  });
});
