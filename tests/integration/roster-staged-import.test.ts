import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite, { type Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { generateRoster } from '../../electron/core/demo/generate.ts';
import { removeStaleStagingFiles, stagingFileName } from '../../electron/core/db/staging.ts';
import { GuestStager } from '../../electron/core/guests/staging.ts';
import { partCopies, partFiles, STAGED_COPIES } from '../../electron/core/guests/staging-order.ts';
import { chunkSql } from '../../electron/core/roster/import-chunks.ts';
import { GuestStore, type GuestRecord } from '../../electron/core/guests/store.ts';
import type { Guest } from '../../shared/domain.ts';
import type { ImportSummary, JobStatusView } from '../../shared/roster/contract-types.ts';
import { csvLine } from '../../shared/roster/csv.ts';
import { openRosterKiosk, waitJob, type RosterKiosk } from '../support/roster-kiosk.ts';

/**
 * Big imports (≥ 10,000 rows) stage their new guests in a worker and copy them in with SQL
 * (electron/core/guests/staging.ts); small ones insert directly. Both must leave the same database.
 */
const opened: RosterKiosk[] = [];
afterEach(() => opened.splice(0).forEach((k) => k.close()));
const kiosk = (): RosterKiosk => {
  const k = openRosterKiosk(false);
  opened.push(k);
  return k;
};

/**
 * Everything a guest load writes, with term ids replaced by their source text (ids differ by path) and
 * guests known by their email (a staged import gives its new guests ids of its own).
 */
function dump(db: Database): Record<string, unknown[]> {
  const all = (sql: string) => db.prepare(sql).all();
  return {
    guests: all(`SELECT g.*, coalesce(n.source, '') AS name_source, coalesce(o.source, '') AS org_source
                 FROM guests g LEFT JOIN search_terms n ON n.id = g.name_term LEFT JOIN search_terms o ON o.id = g.org_term
                 ORDER BY g.email, g.display_name, g.organization, g.note`).map((row) => ({
      ...(row as object),
      id: undefined,
      name_term: undefined,
      org_term: undefined,
    })),
    codes: all(`SELECT c.code, g.email FROM guest_codes c JOIN guests g ON g.id = c.guest_id ORDER BY c.code`),
    preferences:
      all(`SELECT g.email, p.rank, p.forum_id FROM guest_forum_preferences p JOIN guests g ON g.id = p.guest_id
                      ORDER BY g.email, p.rank, p.forum_id`),
    searchKeys: all(`SELECT k.key, g.email, k.weight FROM search_keys k JOIN guests g ON g.id = k.guest_id
                     ORDER BY k.key, g.email, k.weight`),
    termKeys: all(`SELECT k.key, t.source, k.weight FROM term_keys k JOIN search_terms t ON t.id = k.term_id
                   ORDER BY k.key, t.source`),
    terms: all(`SELECT source FROM search_terms ORDER BY source`),
    typoKeys: all(`SELECT * FROM typo_keys ORDER BY variant, word`),
    indexes: all(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name`),
  };
}

/** Some codes not in search form ("CN-…"), so private search keys are staged too; some guests with two. */
function roster(count: number, seed: number): GuestRecord[] {
  return generateRoster(count, seed).map((g, i) => ({
    ...g,
    id: `g_${String(i).padStart(6, '0')}_${seed}`,
    codes: i % 7 === 0 ? [`CN-${g.codes[0]}`] : i % 11 === 0 ? [...g.codes, `X-${seed}-${i}`] : g.codes,
  }));
}

const ID_PREFIX = 'i_0123456789';

/** Stages `guests` and lets the worker write its parts (for the chunked copy). */
async function stage(
  db: Database,
  guests: GuestRecord[],
  preloadTerms?: number,
  loadTerms = false,
): Promise<GuestStager> {
  const file = path.join(os.tmpdir(), `lanyard-test-staging-${process.pid}-${Math.random()}.db`);
  const stager = GuestStager.open(db, file, { preloadTerms });
  if (loadTerms) {
    // As an import starts: the kiosk's terms a page at a time, a turn for the door after each.
    let turns = 0;
    await stager.loadTerms(async () => void turns++);
    const terms = db.prepare(`SELECT count(*) FROM search_terms`).pluck().get() as number;
    expect(turns).toBeGreaterThanOrEqual(1);
    expect(turns).toBe(Math.floor(terms / 1_000)); // a turn after each full page of 1,000
  }
  for (let i = 0; i < guests.length; i += 3000) stager.add(guests.slice(i, i + 3000));
  stager.finishInParts(ID_PREFIX);
  return stager;
}

/**
 * Every staged part copied a part file at a time, in the copy's order, with the statements the chunked
 * copy runs a rowid range at a time (import-chunks.ts chunkSql) — but the list places (a direct insert
 * puts no one on a list).
 */
async function copy(db: Database, stager: GuestStager): Promise<void> {
  stager.checkTermIds(db);
  for (const { file, copies } of partCopies()) {
    db.prepare(`ATTACH ? AS staging`).run(await stager.part(file));
    try {
      for (const c of copies.filter((c) => c !== STAGED_COPIES.list_members))
        db.prepare(chunkSql(c)).run({ from: 0, to: 1e9 });
    } finally {
      db.exec('DETACH staging');
    }
  }
}

describe('staged guest loading', () => {
  // The kiosk's terms read at the start (few of them), or looked up one by one (preloadTerms 0: a kiosk
  // with more than GuestStager reads at once).
  for (const [existingCount, preloadTerms, loadTerms] of [
    [0, undefined, false],
    [300, undefined, false],
    [300, 0, false],
    [3000, undefined, true],
  ] as const) {
    it(`leaves exactly what a direct insert leaves (${existingCount} guests already there, terms ${preloadTerms === 0 ? 'looked up' : loadTerms ? 'read in pages between turns' : 'read as staging starts'})`, async () => {
      const [direct, staged] = [kiosk(), kiosk()];
      const existing = roster(existingCount, 5);
      const fresh = roster(12_000, 6);
      for (const k of [direct, staged]) {
        const db = k.kiosk.db!;
        if (existing.length > 0) db.transaction(() => new GuestStore(db).insertMany(existing))();
      }
      const a = direct.kiosk.db!;
      a.transaction(() => new GuestStore(a).insertMany(fresh))();
      const b = staged.kiosk.db!;
      const stager = await stage(b, fresh, preloadTerms, loadTerms);
      await copy(b, stager);
      stager.discard();

      const [da, db] = [dump(a), dump(b)];
      expect(db.guests).toHaveLength(12_000 + existingCount);
      for (const table of Object.keys(da)) expect(db[table], table).toEqual(da[table]);
      expect(db['typoKeys']!.length).toBeGreaterThan(1000);
      expect(b.pragma('foreign_key_check')).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The scratch file and its parts are gone.
      expect(fs.readdirSync(path.dirname(stager.path)).filter((f) => f.startsWith(path.basename(stager.path)))).toEqual(
        [],
      );
    });
  }

  it("a new guest's list place holds the code its row gave first, or none; its preferences go each forum once, best first", async () => {
    // No code, two codes, one; preferences repeated: each staged guest carries its first code and its
    // preferences, from which the copy makes its list place and preference rows (staging-order.ts).
    const guests = roster(3000, 12).map((g, i) => ({
      ...g,
      codes: i % 5 === 0 ? [] : i % 5 === 1 ? [g.codes[0]!, `X-${i}`] : g.codes,
      forumPreferences: i % 3 === 0 ? [] : i % 3 === 1 ? ['f2', 'f1', 'f2'] : g.forumPreferences,
    }));
    const byEmail = new Map(guests.map((g) => [g.email, g]));
    const read = (file: string, sql: string) => {
      const part = new BetterSqlite(file, { readonly: true });
      try {
        return part.prepare(sql).raw().all() as string[][];
      } finally {
        part.close();
      }
    };
    const db = kiosk().kiosk.db!;
    // The chunked copy's parts: guests renumbered, in the new ids' order.
    const chunked = GuestStager.open(
      db,
      path.join(os.tmpdir(), `lanyard-test-staging-${process.pid}-${Math.random()}.db`),
    );
    for (let i = 0; i < guests.length; i += 50) chunked.add(guests.slice(i, i + 50));
    chunked.finishInParts(ID_PREFIX);
    const pieces = await Promise.all(partFiles('guests').map((file) => chunked.part(file)));
    const rows = pieces.map((piece) =>
      read(piece, `SELECT id, email, first_code, preferences FROM guests ORDER BY rowid`),
    );
    chunked.discard();
    // The guests come in GUEST_PIECES files of a quarter each, one after the other in the new ids' order.
    expect(rows.map((piece) => piece.length)).toEqual([750, 750, 750, 750]);
    const ids = rows.flat().map(([id]) => id);
    expect(ids).toEqual([...ids].sort());
    for (const [, email, firstCode, preferences] of rows.flat()) {
      const g = byEmail.get(email!)!;
      expect(firstCode).toBe(g.codes[0] ?? '');
      expect(JSON.parse(preferences!)).toEqual([...new Set(g.forumPreferences)]);
    }
  });

  it('refuses to copy (and writes nothing) if a search term was written after staging', async () => {
    const k = kiosk();
    const db = k.kiosk.db!;
    const stager = await stage(db, roster(2000, 9));
    db.transaction(() => new GuestStore(db).insert({ ...roster(1, 10)[0]!, displayName: 'Zora Unique', id: 'g_z' }))();
    await expect(copy(db, stager)).rejects.toThrow(/search terms changed/);
    stager.discard();
    expect(k.count(`SELECT count(*) AS n FROM guests`)).toBe(1);
  });
});

const search = (k: RosterKiosk, query: string): Guest[] => {
  const r = k.call('guests.search', { query, limit: 5 });
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as { results: Guest[] }).results;
};

function bigCsv(guests: GuestRecord[]): Buffer {
  const header = ['Name', 'Pinyin', 'Company', 'Email', 'Ticket', 'Forum', 'Type'];
  const rows = guests.map((g) =>
    csvLine([g.displayName, g.latinName, g.organization, g.email, g.codes[0]!, g.forumPreferences[0] ?? '', g.role]),
  );
  return Buffer.from(`\uFEFF${csvLine(header)}${rows.join('')}`);
}

describe('a 12,000-row import through the kiosk (staged)', () => {
  it('finds, scans and re-imports the guests like a small import does', async () => {
    const k = kiosk();
    const guests = roster(12_000, 7);
    const csv = bigCsv(guests);
    const { summary } = await k.importFile('big.csv', csv, { preset: '', dryRun: false, mapping: null });
    expect(summary).toMatchObject({ applied: true, added: 12_000, errors: [] });
    // Staged guests join the file's list inside SQLite, each with the code its row gave.
    expect(k.count(`SELECT count(*) AS n FROM list_members m JOIN guest_codes c USING (guest_id, code)`)).toBe(12_000);
    // New guests are numbered in (email key, name term) order, so the chunked copy appends to those
    // indexes (GuestStager.finishInParts); every staged reference follows its guest to the new id.
    const db = k.kiosk.db!;
    const ids = (order: string) => db.prepare(`SELECT id FROM guests ORDER BY ${order}`).pluck().all();
    expect(ids('id')).toEqual(ids('email_key, name_term, id'));
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const byEmail = (sql: string) => new Map(db.prepare(sql).raw().all() as Array<[string, string]>);
    const codes = byEmail(`SELECT g.email, c.code FROM guests g JOIN guest_codes c ON c.guest_id = g.id`);
    const forums = byEmail(
      `SELECT g.email, p.forum_id FROM guests g JOIN guest_forum_preferences p ON p.guest_id = g.id`,
    );
    for (const g of guests) {
      expect(codes.get(g.email)).toBe(g.codes[0]);
      expect(forums.get(g.email)).toBe(g.forumPreferences[0]);
    }

    const last = guests[11_999]!;
    expect(search(k, last.codes[0]!)[0]).toMatchObject({ name: last.displayName, email: last.email });
    expect(search(k, last.email).map((g) => g.email)).toContain(last.email);
    const cn = guests[7]!; // a "CN-…" code, found through its private key without the dash
    expect(search(k, cn.codes[0]!.replace('-', '').toLowerCase()).map((g) => g.email)).toContain(cn.email);
    const scan = k.call('guests.scan', { code: guests[42]!.codes[0]! });
    expect(scan.ok && (scan.value as { status: string; guest: Guest }).guest?.email).toBe(guests[42]!.email);
    expect(scan.ok && (scan.value as { status: string }).status).toBe('checked_in');

    const again = await k.importFile('big.csv', csv, { preset: '', dryRun: false, mapping: null });
    expect(again.summary).toMatchObject({ applied: true, added: 0, updated: 0, unchanged: 12_000, removed: 0 });
    expect(k.count(`SELECT count(*) AS n FROM guests`)).toBe(12_000);
  });

  it('plans again when a walk-in arrives while it runs: the walk-in is matched, not duplicated', async () => {
    const k = kiosk();
    const guests = roster(20_000, 8);
    const target = guests[17_000]!;
    const preview = (await k.upload('big.csv', bigCsv(guests))).result as { uploadId: string; mapping: object };
    const started = k.call('roster.import', { uploadId: preview.uploadId, mapping: preview.mapping, dryRun: false });
    if (!started.ok) throw new Error(started.error.message);
    const jobId = (started.value as { jobId: string }).jobId;
    // Wait until the import has read part of the file (it yields between chunks), then register the walk-in.
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      const status = k.call('jobs.get', { jobId });
      const job = (status.ok ? status.value : null) as JobStatusView | null;
      if (job !== null && job.phase === 'checking' && job.done > 0) break;
    }
    const walkIn = k.call('guests.walkIn', {
      name: 'Someone Unlisted', // matched by the email, not by name (the generated roster repeats names)
      organization: 'Nowhere Ltd',
      email: target.email,
      role: 'guest',
    });
    expect(walkIn.ok).toBe(true);
    const done = await waitJob(k.call, jobId);
    expect(done.state).toBe('done');
    expect(done.result as ImportSummary).toMatchObject({ applied: true, added: 19_999, updated: 1, errors: [] });
    expect(k.count(`SELECT count(*) AS n FROM guests WHERE email = '${target.email}'`)).toBe(1);
    expect(k.count(`SELECT count(*) AS n FROM guests`)).toBe(20_000);
    expect(k.count(`SELECT count(*) AS n FROM list_members`)).toBe(20_000); // the walk-in joined the list too
  });
});

describe('scratch files', () => {
  it('a staging file whose process is gone is removed; a live one and other files are left alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanyard-stale-'));
    const gone = spawnSync(process.execPath, ['-e', 'process.pid']).pid!; // a pid that has exited
    const orphan = path.join(dir, stagingFileName('lanyard-import-', gone, 'aa11'));
    const live = path.join(dir, stagingFileName('lanyard-import-', process.pid, 'bb22'));
    const oldStyle = path.join(dir, 'lanyard-import-old.db');
    const other = path.join(dir, 'notes.db');
    for (const f of [orphan, live, oldStyle, other]) fs.writeFileSync(f, 'x');
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    fs.utimesSync(oldStyle, twoMinutesAgo, twoMinutesAgo);
    fs.utimesSync(other, twoMinutesAgo, twoMinutesAgo);
    removeStaleStagingFiles(dir, 'lanyard-import-', Date.now());
    expect(fs.readdirSync(dir).sort()).toEqual([path.basename(live), 'notes.db'].sort());
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
