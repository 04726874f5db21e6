import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createKiosk } from '../../electron/core/kiosk.ts';
import { committedNewCode, committedNewGuest, job, newGuestsCsv, startImport } from '../support/chunked-import.ts';
import { openRosterKiosk, waitJob, type RosterKiosk } from '../support/roster-kiosk.ts';
import { call } from '../support/call.ts';
import { testSecrets } from '../support/secrets.ts';
import { tempDir } from '../support/temp.ts';

/**
 * A big import (≥ 10,000 rows: staged) commits its new guests in short chunks so the door scans between
 * them (electron/core/roster/import-chunks.ts). It stays all-or-nothing: until its last transaction the
 * new guests are not on the roster for the door, and an import that fails or dies half-way is rolled
 * back — live, or at the next open from its recovery record (import-recovery.ts).
 */
const CLI = path.resolve(import.meta.dirname, '../../electron/cli/lanyard.ts');
const ROWS = 12_000;
const opened: RosterKiosk[] = [];
afterEach(() => opened.splice(0).forEach((k) => k.close()));

/** Everything an import writes or a scan reads, in a stable order. */
function rosterDump(db: Database): Record<string, unknown[]> {
  const all = (sql: string) => db.prepare(sql).all();
  return {
    guests: all(`SELECT * FROM guests ORDER BY id`),
    codes: all(`SELECT * FROM guest_codes ORDER BY code`),
    preferences: all(`SELECT * FROM guest_forum_preferences ORDER BY guest_id, rank`),
    searchKeys: all(`SELECT * FROM search_keys ORDER BY key, guest_id`),
    terms: all(`SELECT * FROM search_terms ORDER BY id`),
    termKeys: all(`SELECT * FROM term_keys ORDER BY key, term_id`),
    typoKeys: all(`SELECT * FROM typo_keys ORDER BY variant, word`),
    lists: all(`SELECT * FROM roster_lists ORDER BY id`),
    members: all(`SELECT * FROM list_members ORDER BY list_id, guest_id`),
    imports: all(`SELECT * FROM roster_imports ORDER BY id`),
    importJobs: all(`SELECT * FROM import_jobs`),
  };
}

const scanStatus = (k: RosterKiosk, code: string): string => {
  const r = k.call('guests.scan', { code });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return (r.value as { status: string }).status;
};

const demoCodes = (k: RosterKiosk, n: number): string[] =>
  k.kiosk
    .db!.prepare(
      `SELECT c.code FROM guest_codes c JOIN guests g ON g.id = c.guest_id WHERE g.status = 'active' ORDER BY c.code LIMIT ?`,
    )
    .pluck()
    .all(n) as string[];

/**
 * Whether every thread of process `pid` is stopped (a SIGSTOP reached them all), or the process is gone. A
 * thread that ends while this looks is one fewer to wait for, not the process gone.
 */
function stoppedOrGone(pid: number): boolean {
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return true; // gone
  }
  return tasks.every((task) => {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
    } catch {
      return true; // that thread ended
    }
    return 'TtZX'.includes(stat[stat.lastIndexOf(')') + 2]!);
  });
}

/**
 * Runs `lanyard import` and SIGKILLs it while chunks of it are committed and its last transaction is not.
 * It runs in short steps (SIGCONT, ~2 ms, SIGSTOP) and is looked at only while stopped, so it cannot end
 * between the look and the kill. Looked at while it ran (every 2 ms), under load the look could come late:
 * in CI under two CPU hogs the import had ended first (killedMidWrite false). False: it ended within a step.
 */
async function importKilledMidWrite(file: string, dataDir: string, watch: Database): Promise<boolean> {
  const child = spawn(process.execPath, [CLI, 'import', file, '--data', dataDir, '--json'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let gone = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve())).then(() => {
    gone = true;
  });
  const nap = new Int32Array(new SharedArrayBuffer(4));
  try {
    while (!gone) {
      child.kill('SIGSTOP');
      while (!stoppedOrGone(child.pid!));
      const record = watch.prepare(`SELECT count(*) FROM import_jobs`).pluck().get() as number;
      if (record === 1 && committedNewCode(watch) !== null) {
        child.kill('SIGKILL');
        return true;
      }
      await new Promise((resolve) => setImmediate(resolve)); // its exit, if it ended, is seen here
      child.kill('SIGCONT');
      Atomics.wait(nap, 0, 0, 2); // this thread sleeps, the import runs
    }
    return false;
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

describe('a big import commits in chunks and the door goes on', () => {
  it('answers scans while the import writes; the door sees the old list until the import ends', async () => {
    const k = openRosterKiosk(true);
    opened.push(k);
    const db = k.kiosk.db!;
    const { csv, codes } = newGuestsCsv(ROWS);
    const door = demoCodes(k, 400);
    const jobId = await startImport(k, csv);
    let scansWhileWriting = 0;
    let newGuestSeenEarly = 0;
    type NewGuest = { id: string; email: string };
    let committed: NewGuest | null = null;
    let committedCode: string | null = null;
    const found = (email: string): string[] => {
      const r = k.call('guests.search', { query: email, limit: 5 });
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      return (r.value as { results: Array<{ id: string }> }).results.map((g) => g.id);
    };
    for (let i = 0; job(k, jobId).state === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const writing = job(k, jobId).phase === 'writing';
      expect(['checked_in', 'already_checked_in']).toContain(scanStatus(k, door[i % door.length]!));
      if (!writing) continue;
      scansWhileWriting++;
      // A new guest whose row is committed already is still unknown to the door: not found by a search,
      // nor by a scan of a code committed already (the codes come after the guests' rows: a short window
      // at the end of a 12,000-row copy, which a loaded machine's scans may miss).
      committed ??= committedNewGuest(db);
      if (committed !== null && found(committed.email).includes(committed.id)) newGuestSeenEarly++;
      committedCode ??= committedNewCode(db);
      if (committedCode !== null && scanStatus(k, committedCode) !== 'unknown_code') newGuestSeenEarly++;
    }
    const done = await waitJob(k.call, jobId);
    expect(done.state).toBe('done');
    expect(done.result).toMatchObject({ applied: true, added: ROWS, errors: [] });
    expect(scansWhileWriting).toBeGreaterThan(5); // the write yielded to the door again and again
    const guest = committed as NewGuest | null; // assigned in the loop
    expect(guest).not.toBeNull();
    expect(newGuestSeenEarly).toBe(0);
    expect(found(guest!.email)).toContain(guest!.id); // the search would have found them
    // Now everyone is on the roster at once.
    expect(scanStatus(k, codes[0]!)).toBe('checked_in');
    expect(scanStatus(k, codes[ROWS - 1]!)).toBe('checked_in');
    expect(k.count(`SELECT count(*) AS n FROM import_jobs`)).toBe(0);
    expect(k.count(`SELECT count(*) AS n FROM search_terms WHERE source LIKE char(0) || '%'`)).toBe(0);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('an import cancelled while it writes leaves nothing of itself, and the door lost nothing meanwhile', async () => {
    const k = openRosterKiosk(true);
    opened.push(k);
    const db = k.kiosk.db!;
    const [early, during] = demoCodes(k, 2);
    expect(scanStatus(k, early!)).toBe('checked_in');
    const before = rosterDump(db);
    const checkinsBefore = k.count(`SELECT count(*) AS n FROM checkins`);

    const jobId = await startImport(k, newGuestsCsv(ROWS).csv);
    // Wait until chunks are committed, check a guest in between two of them, then cancel.
    while (committedNewGuest(db) === null) {
      expect(job(k, jobId).state).toBe('running');
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(scanStatus(k, during!)).toBe('checked_in');
    expect(k.call('jobs.cancel', { jobId }).ok).toBe(true);
    const done = await waitJob(k.call, jobId);
    expect(done.state).toBe('cancelled');

    expect(rosterDump(db)).toEqual(before);
    expect(k.count(`SELECT count(*) AS n FROM checkins`)).toBe(checkinsBefore + 1);
    expect(
      k.count(`SELECT count(*) AS n FROM checkins c JOIN guest_codes g USING (guest_id) WHERE g.code = '${during}'`),
    ).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // And the same file imports whole afterwards.
    const again = await k.importFile('new-guests.csv', newGuestsCsv(ROWS).csv, {
      preset: '',
      dryRun: false,
      mapping: null,
    });
    expect(again.summary).toMatchObject({ applied: true, added: ROWS });
  });

  it('a staging worker that fails after the copy began: the copied chunks are taken back and the import goes through', async () => {
    // The worker hands over its sorted tables one by one and the copy takes each as it comes, so a worker
    // failing on its last table (here: it cannot create that part's file) fails an import half copied.
    const k = openRosterKiosk(true);
    opened.push(k);
    const db = k.kiosk.db!;
    const stagingDir = path.join(path.dirname(db.name), 'staging');
    const { csv, codes } = newGuestsCsv(ROWS);
    const jobId = await startImport(k, csv);
    let blocked: string | null = null;
    let copiedBeforeFailure = false;
    while (job(k, jobId).state === 'running') {
      if (blocked === null) {
        const file = (fs.existsSync(stagingDir) ? fs.readdirSync(stagingDir) : []).find((f) => /\.db$/.test(f));
        if (file !== undefined) {
          blocked = path.join(stagingDir, `${file}.list_members`);
          fs.mkdirSync(blocked);
        }
      } else if (!copiedBeforeFailure)
        copiedBeforeFailure = k.count(`SELECT count(*) AS n FROM guests WHERE source = 'import'`) > 0;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const done = await waitJob(k.call, jobId);
    expect(blocked).not.toBeNull();
    fs.rmdirSync(blocked!);
    expect(copiedBeforeFailure).toBe(true);
    expect(done.state).toBe('done');
    expect(done.result).toMatchObject({ applied: true, added: ROWS, errors: [] });
    // One import's guests, once each: the failed attempt's (another id prefix) are gone.
    expect(k.count(`SELECT count(*) AS n FROM guests WHERE source = 'import'`)).toBe(ROWS);
    expect(k.count(`SELECT count(DISTINCT substr(id, 1, 12)) AS n FROM guests WHERE source = 'import'`)).toBe(1);
    expect(
      k.count(`SELECT count(*) AS n FROM list_members m JOIN guests g ON g.id = m.guest_id WHERE g.source = 'import'`),
    ).toBe(ROWS);
    expect(k.count(`SELECT count(*) AS n FROM import_jobs`)).toBe(0);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(scanStatus(k, codes[ROWS - 1]!)).toBe('checked_in');
  });

  it('a kiosk killed while an import writes rolls the import back when it opens again', async () => {
    const dir = tempDir('import-kill');
    try {
      expect(spawnSync(process.execPath, [CLI, 'init', '--demo', '--data', dir.dir, '--json']).status).toBe(0);
      const file = path.join(dir.dir, 'new-guests.csv');
      const { csv, codes } = newGuestsCsv(ROWS);
      fs.writeFileSync(file, csv);
      const dbFile = path.join(dir.dir, 'lanyard.sqlite');
      expect(fs.existsSync(dbFile)).toBe(true);
      const watch = new BetterSqlite3(dbFile, { readonly: true });
      const before = rosterDump(watch);

      expect(await importKilledMidWrite(file, dir.dir, watch)).toBe(true);
      expect(committedNewCode(watch)).not.toBeNull(); // the dead import's chunks are on disk
      watch.close();

      const kiosk = createKiosk({ dataDir: dir.dir, now: Date.now, secrets: testSecrets });
      try {
        expect(rosterDump(kiosk.db!)).toEqual(before);
        expect(kiosk.db!.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(kiosk.db!.pragma('foreign_key_check')).toEqual([]);
      } finally {
        kiosk.close();
      }
      // The next import of the same file goes through whole.
      const again = spawnSync(process.execPath, [CLI, 'import', file, '--data', dir.dir, '--json'], {
        encoding: 'utf8',
      });
      expect(again.status).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ added: ROWS, errors: [] });
      const after = createKiosk({ dataDir: dir.dir, now: Date.now, secrets: testSecrets });
      try {
        const scan = call(after, 'guests.scan', { code: codes[ROWS - 1]! });
        expect(scan.ok && scan.value.status).toBe('checked_in');
      } finally {
        after.close();
      }
    } finally {
      dir.cleanup();
    }
  });
});
