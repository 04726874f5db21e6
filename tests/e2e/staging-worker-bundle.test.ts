import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StagingMessage, StagingWorkerData } from '../../electron/core/db/staging-worker.ts';
import type { ImportWriterData, WriterMessage, WriterReply } from '../../electron/core/db/import-write-worker.ts';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * The built bundles, so this lives with e2e (`npm run test:e2e` and `npm test` build before Vitest runs):
 * the bundles checked here are the ones that would be packaged.
 */
describe('the bundled staging worker (big imports)', () => {
  const dist = path.join(root, 'dist-electron');

  it('is built beside main.cjs, which finds it from its own file URL (CommonJS has no import.meta)', () => {
    expect(fs.existsSync(path.join(dist, 'staging-worker.cjs'))).toBe(true);
    const main = fs.readFileSync(path.join(dist, 'main.cjs'), 'utf8');
    expect(main).toContain('"./staging-worker.cjs"');
    expect(main).not.toMatch(/\{\}\.url/); // what an un-polyfilled import.meta.url compiles to
  });

  it("has a big import's writer beside it, in a file of its own (without the search keys' dictionaries)", () => {
    const writer = path.join(dist, 'import-write-worker.cjs');
    expect(fs.existsSync(writer)).toBe(true);
    expect(fs.readFileSync(path.join(dist, 'main.cjs'), 'utf8')).toContain('"./import-write-worker.cjs"');
    // The segmenter's dictionaries are megabytes; the writer's own code a few dozen kilobytes.
    expect(fs.statSync(writer).size).toBeLessThan(fs.statSync(path.join(dist, 'staging-worker.cjs')).size / 10);
  });

  it('has the checkpoint worker beside it too (electron/core/db/checkpoints.ts)', () => {
    expect(fs.existsSync(path.join(dist, 'checkpoint-worker.cjs'))).toBe(true);
    expect(fs.readFileSync(path.join(dist, 'main.cjs'), 'utf8')).toContain('"./checkpoint-worker.cjs"');
  });

  it("runs as a worker thread, stages rows into its file, runs its owner's finishing SQL and writes its parts", async () => {
    const { Worker } = await import('node:worker_threads');
    const { default: Database } = await import('better-sqlite3');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lanyard-bundle-')), 'staging.db');
    // Typed against the worker's data, so a field the worker starts to need cannot be missing here.
    const taken = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(path.join(dist, 'staging-worker.cjs'), {
      workerData: { taken } satisfies StagingWorkerData,
    });
    // Started before its import knows its file (db/staging-spare.ts): told it first.
    worker.postMessage({
      kind: 'open',
      path: file,
      schema: 'CREATE TABLE t (a TEXT NOT NULL, b INTEGER NOT NULL) STRICT;',
    } satisfies StagingMessage);
    const replies: unknown[] = [];
    const finished = new Promise((resolve, reject) => {
      worker.on('message', (reply: { kind: string }) => {
        replies.push(reply);
        if (reply.kind === 'finished') resolve(reply);
      });
      worker.once('error', reject);
    });
    worker.postMessage({ kind: 'rows', table: 't', columns: ['a', 'b'], values: ['张', 1, 'Ä', 2, 'x', 3] });
    // The owner's last touches run in the worker before it commits, then each part goes to a file of its
    // own (guests/staging.ts renumbers and sorts the staged tables into parts for the chunked copy).
    const part = `${file}.sorted`;
    worker.postMessage({
      kind: 'finish',
      sql: `UPDATE t SET b = b * 10`,
      parts: [{ name: 'sorted', path: part, sql: 'CREATE TABLE part.sorted AS SELECT * FROM main.t ORDER BY b DESC;' }],
    } satisfies StagingMessage);
    expect(await finished).toEqual({ kind: 'finished', rows: 3 });
    expect(Atomics.load(taken, 0)).toBe(3); // every message counted as taken (the owner's backlog cap)
    expect(replies).toEqual([
      { kind: 'part', name: 'sorted' },
      { kind: 'finished', rows: 3 },
    ]);
    const sorted = new Database(part, { readonly: true });
    expect(sorted.prepare('SELECT b FROM sorted ORDER BY rowid').pluck().all()).toEqual([30, 20, 10]);
    sorted.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT a, b FROM t ORDER BY b').all()).toEqual([
      { a: '张', b: 10 },
      { a: 'Ä', b: 20 },
      { a: 'x', b: 30 },
    ]);
    db.close();
  });

  it("makes a new search term's keys and typo variants, pinyin included (its dictionary is bundled)", async () => {
    const { Worker } = await import('node:worker_threads');
    const { default: Database } = await import('better-sqlite3');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lanyard-bundle-')), 'staging.db');
    const worker = new Worker(path.join(dist, 'staging-worker.cjs'), {
      workerData: { taken: new Int32Array(new SharedArrayBuffer(4)) } satisfies StagingWorkerData,
    });
    worker.postMessage({
      kind: 'open',
      path: file,
      schema: `CREATE TABLE terms (id INTEGER NOT NULL, source TEXT NOT NULL) STRICT;
        CREATE TABLE term_keys (key TEXT NOT NULL, term_id INTEGER NOT NULL, weight INTEGER NOT NULL) STRICT;
        CREATE TABLE typo_keys (variant TEXT NOT NULL, word TEXT NOT NULL) STRICT;`,
    } satisfies StagingMessage);
    const finished = new Promise((resolve, reject) => {
      worker.on('message', (reply: { kind: string }) => reply.kind === 'finished' && resolve(reply));
      worker.once('error', reject);
    });
    worker.postMessage({ kind: 'terms', packed: [7, 'n["刘青"]', 1, '刘青'] } satisfies StagingMessage);
    worker.postMessage({ kind: 'finish', sql: '' } satisfies StagingMessage);
    await finished;
    const db = new Database(file, { readonly: true });
    const keys = db.prepare(`SELECT key FROM term_keys WHERE term_id = 7`).pluck().all();
    expect(keys).toEqual(expect.arrayContaining(['刘', '青', 'liuqing', 'lq']));
    expect(db.prepare(`SELECT count(*) FROM typo_keys WHERE word = 'liuqing'`).pluck().get()).toBe(8);
    db.close();
  });

  it("the writer's bundle copies a staged part into the kiosk's table in chunks, then closes", async () => {
    const { Worker } = await import('node:worker_threads');
    const { default: Database } = await import('better-sqlite3');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanyard-bundle-'));
    const kiosk = path.join(dir, 'kiosk.sqlite');
    const db = new Database(kiosk);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE live (list TEXT NOT NULL, n INTEGER NOT NULL)');
    const part = path.join(dir, 'part.db');
    const staged = new Database(part);
    staged.exec(`CREATE TABLE rows (n INTEGER NOT NULL);
      WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3000) INSERT INTO rows SELECT n FROM c;`);
    staged.close();
    const flags = new Int32Array(new SharedArrayBuffer(12));
    // The door wrote just now (write-gate.ts doorClock): the worker takes short chunks, several for 3,000 rows.
    const doorClock = new Float64Array(new SharedArrayBuffer(8));
    doorClock[0] = performance.timeOrigin + performance.now();
    const worker = new Worker(path.join(dist, 'import-write-worker.cjs'), {
      workerData: { kind: 'import-writer', path: kiosk, flags, doorClock, fullfsync: false } satisfies ImportWriterData,
    });
    const replies: WriterReply[] = [];
    const copied = new Promise((resolve, reject) => {
      worker.on('message', (reply: WriterReply) => {
        replies.push(reply);
        if (reply.kind !== 'chunk') resolve(reply);
      });
      worker.once('error', reject);
    });
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage({
      kind: 'copy',
      path: part,
      staged: 'rows',
      statements: [
        {
          sql: `INSERT INTO main.live (list, n) SELECT @list, n FROM staging.rows WHERE rowid > @from AND rowid <= @to`,
          parentCheck: '',
        },
      ],
      list: 'lst_1',
    } satisfies WriterMessage);
    expect(await copied).toMatchObject({ kind: 'copied', rows: 3000 });
    expect(replies.filter((r) => r.kind === 'chunk').length).toBeGreaterThan(1);
    worker.postMessage({ kind: 'close' } satisfies WriterMessage);
    await exited;
    expect(db.prepare(`SELECT count(*) FROM live WHERE list = 'lst_1'`).pluck().get()).toBe(3000);
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
