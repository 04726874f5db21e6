import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, openDatabase } from '../../electron/core/db/open.ts';
import { LATEST_VERSION } from '../../electron/core/db/migrations/index.ts';
import { createKiosk } from '../../electron/core/kiosk.ts';
import { databaseFile } from '../../electron/core/paths.ts';
import { LanyardFailure } from '../../shared/result.ts';
import { tempDir } from '../support/temp.ts';
import { testSecrets } from '../support/secrets.ts';
import { must } from '../support/call.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function freshDir(): string {
  const t = tempDir('db');
  cleanups.push(t.cleanup);
  return t.dir;
}
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function expectFailure(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LanyardFailure);
    expect((error as LanyardFailure).code).toBe(code);
    return;
  }
  throw new Error(`expected a ${code} failure`);
}

describe('opening the kiosk database', () => {
  it('migrates an empty file to the latest version with the safe pragmas (R2)', () => {
    const file = databaseFile(freshDir());
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const strict = db
      .prepare(
        `SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'`,
      )
      .all() as Array<{ name: string; strict: number }>;
    expect(strict.length).toBeGreaterThan(5);
    for (const t of strict) expect(t, t.name).toMatchObject({ strict: 1 });
    db.close();
    // Reopening is a no-op migration.
    openDatabase(file).close();
  });

  it('refuses a database from a newer Lanyard and leaves the file byte-for-byte untouched', () => {
    const file = databaseFile(freshDir());
    openDatabase(file).close();
    const raw = new BetterSqlite3(file);
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.pragma('journal_mode = DELETE');
    raw.close();
    const before = sha(file);
    expectFailure(() => openDatabase(file), 'db_too_new');
    expect(sha(file)).toBe(before);
  });

  it('refuses a file that is not SQLite, and a SQLite file of another application, without touching them', () => {
    const dir = freshDir();
    const file = databaseFile(dir);
    fs.writeFileSync(file, 'name,organisation\nAnna,ACME\n');
    const before = sha(file);
    expectFailure(() => openDatabase(file), 'db_not_lanyard');
    expect(sha(file)).toBe(before);

    const other = path.join(dir, 'other.sqlite');
    const raw = new BetterSqlite3(other);
    raw.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)`);
    raw.close();
    const otherBefore = sha(other);
    expectFailure(() => openDatabase(other), 'db_not_lanyard');
    expect(sha(other)).toBe(otherBefore);
  });

  it('a kiosk on a foreign file reports the error through app.status and refuses every call', () => {
    const dir = freshDir();
    fs.writeFileSync(databaseFile(dir), 'not a database at all, but 16+ bytes long');
    const kiosk = createKiosk({ dataDir: dir, now: Date.now, secrets: testSecrets });
    expect(must(kiosk, 'app.status', {}).dbError?.code).toBe('db_not_lanyard');
    expect(() => must(kiosk, 'guests.scan', { code: '1' })).toThrow(LanyardFailure);
  });
});
