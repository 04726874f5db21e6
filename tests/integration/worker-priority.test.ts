import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpoints } from '../../electron/core/db/checkpoints.ts';
import { StagingDb } from '../../electron/core/db/staging.ts';
import { readUpload } from '../../electron/core/roster/read-off-thread.ts';
import { BACKGROUND_NICE, V8_HELPERS_NICE } from '../../electron/core/thread-priority.ts';
import { openRosterKiosk } from '../support/roster-kiosk.ts';
import { tempDir } from '../support/temp.ts';

/**
 * Issue 16, the door during a 100,000-row import: on 2 cores the import's worker threads took their
 * even share of the CPU from the door's thread, so a scan waited for a core as well as for the event
 * loop. Each background worker lowers its own thread's priority (electron/core/thread-priority.ts);
 * the door's thread keeps the process's. Linux only: elsewhere a thread's priority is the process's.
 */
const linux = process.platform === 'linux';
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

/** The nice value of each thread of this process, by thread id (/proc/self/task/TID/stat, field 19). */
function threadNice(): Map<number, number> {
  const nice = new Map<number, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // After "pid (comm) ": state is field 3, nice field 19 — the comm may hold spaces, so count from ')'.
      nice.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // the thread ended while we looked
    }
  }
  return nice;
}

/** Threads at the background priority that were not there in `before`. */
function newlyLowered(before: Map<number, number>): number[] {
  return [...threadNice()].filter(([tid, n]) => n === BACKGROUND_NICE && before.get(tid) !== n).map(([tid]) => tid);
}

/** The calling thread's own nice value (the test's thread stands in for the door's). */
function ownNice(): number {
  const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  return threadNice().get(tid)!;
}

async function until<T>(what: string, probe: () => T | null, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A part that keeps the staging worker busy for a good while. */
const SLOW = `CREATE TABLE part.slow AS
  WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT sum(x) AS s FROM c;`;

describe.runIf(linux)('background workers give the door’s thread the CPU first', () => {
  it('the staging worker runs at the background priority and still finishes its parts', async () => {
    const before = threadNice();
    const doorNice = ownNice();
    const dir = tempDir('worker-priority');
    const staging = new StagingDb(path.join(dir.dir, 'lanyard-import-1-ab.db'), 'CREATE TABLE t (a TEXT) STRICT;');
    cleanups.push(() => {
      staging.discard();
      dir.cleanup();
    });
    staging.add('t', ['a'], ['张伟', 'Jürgen', 'Zoë']);
    staging.finishInParts('', [
      { name: 'copy', sql: 'CREATE TABLE part.copy AS SELECT a FROM main.t ORDER BY a;' },
      { name: 'slow', sql: SLOW },
    ]);
    const lowered = await until('a staging worker at the background priority', () => {
      const tids = newlyLowered(before);
      return tids.length > 0 ? tids : null;
    });
    expect(lowered.length).toBeGreaterThan(0);
    expect(ownNice()).toBe(doorNice); // the calling thread keeps its priority
    const part = new Database(await staging.part('slow'), { readonly: true });
    expect(part.prepare('SELECT s FROM slow').pluck().get()).toBe(2_000_001_000_000);
    part.close();
  });

  it('the checkpoint worker keeps the normal priority (starved, it let the WAL grow) and checkpoints', async () => {
    const before = threadNice();
    const dir = tempDir('worker-priority');
    const db = new Database(path.join(dir.dir, 'kiosk.db'));
    db.pragma('journal_mode = WAL');
    const stop = startCheckpoints(db);
    cleanups.push(() => {
      stop();
      db.close();
      dir.cleanup();
    });
    // More than the 1,000 frames the worker waits for before it copies the WAL (checkpoint-worker.ts).
    db.exec(`CREATE TABLE t (a BLOB);
             WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
             INSERT INTO t SELECT randomblob(3000) FROM n;`);
    // Its work gets done: the WAL's pages reach the database file; no thread of ours was lowered meanwhile.
    await until('a checkpoint', () => (fs.statSync(db.name).size > 4096 ? true : null));
    expect(newlyLowered(before)).toEqual([]);
    const reader = new Database(db.name, { readonly: true });
    expect(reader.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1200);
    reader.close();
  });

  it('the workbook reader runs at the background priority and reads every row', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Guests');
    ws.addRow(['Name', 'Email']);
    for (let i = 0; i < 3000; i++) ws.addRow([i % 2 === 0 ? `王芳${i}` : `Jürgen Weiß ${i}`, `g${i}@example.org`]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const before = threadNice();
    let lowered = 0;
    // Asked on every batch of rows the worker sends, while it is still reading.
    const table = await readUpload('guests.xlsx', bytes, () => {
      lowered = Math.max(lowered, newlyLowered(before).length);
    });
    expect(table.rows.rowCount).toBe(3000);
    expect(lowered).toBeGreaterThan(0);
  });

  it('an upload puts V8’s helper threads behind the door’s thread, which keeps its priority', async () => {
    const helpers = () =>
      [...threadNice()].filter(([tid]) => fs.readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() === 'V8Worker');
    expect(helpers().length, 'Node names its platform threads V8Worker').toBeGreaterThan(0);
    const doorBefore = threadNice().get(process.pid);
    const k = openRosterKiosk(true);
    cleanups.push(() => k.close());
    const status = await k.upload('guests.csv', new TextEncoder().encode('Name,Email\r\nAnna Weiß,a@example.org\r\n'));
    expect(status.state).toBe('done');
    expect(helpers().map(([, nice]) => nice)).toEqual(helpers().map(() => V8_HELPERS_NICE));
    expect(threadNice().get(process.pid), 'the door’s thread').toBe(doorBefore);
  });
});
