import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { LanyardFailure } from '../../../shared/result.ts';
import { createLogger } from '../log.ts';
import { LATEST_VERSION, migrations } from './migrations/index.ts';
import { installWriteGate } from './write-gate.ts';
import { useDoorCache, withBulkCache } from './page-cache.ts';

const log = createLogger('db');

/** 'LNYD' — marks a SQLite file as ours, so we never migrate somebody else's database. */
export const APPLICATION_ID = 0x4c4e5944;
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function looksLikeSqlite(file: string): boolean {
  const size = fs.statSync(file).size;
  if (size === 0) return true; // SQLite treats an empty file as an empty database.
  const fd = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(16);
    const read = fs.readSync(fd, header, 0, 16, 0);
    return read === 16 && header.equals(SQLITE_HEADER);
  } finally {
    fs.closeSync(fd);
  }
}

function tableCount(db: Database): number {
  return (db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'`).get() as { n: number }).n;
}

/**
 * Checks the file is ours and not from the future *before* anything writes to it: setting WAL mode
 * or running a migration would change a foreign or newer file, and the promise is that we never do.
 */
function checkIdentity(db: Database, file: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const fresh = appId === 0 && version === 0 && tableCount(db) === 0;
  if (fresh) return;
  if (appId !== APPLICATION_ID) {
    throw new LanyardFailure(
      'db_not_lanyard',
      `${file} is a SQLite database of another application; it was not changed`,
    );
  }
  if (version > LATEST_VERSION) {
    throw new LanyardFailure(
      'db_too_new',
      `${file} has schema version ${version}, newer than this Lanyard (${LATEST_VERSION}); update Lanyard. The file was not changed.`,
    );
  }
}

const REQUIRED_PRAGMAS: ReadonlyArray<[string, string | number]> = [
  ['journal_mode', 'wal'],
  ['synchronous', 2], // FULL: a COMMIT that returned survives power loss (sync-and-security R2).
  ['foreign_keys', 1],
  ['secure_delete', 1],
];

function applyPragmas(db: Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
  // A small page cache for the door, raised only while bulk work runs (page-cache.ts says why).
  useDoorCache(db);
  if (process.platform === 'darwin') {
    db.pragma('fullfsync = ON');
    db.pragma('checkpoint_fullfsync = ON');
  }
  // Self-test: read every durability pragma back; a kiosk that cannot promise durability must not scan.
  for (const [name, expected] of REQUIRED_PRAGMAS) {
    const actual = db.pragma(name, { simple: true });
    if (actual !== expected) {
      throw new LanyardFailure(
        'db_pragma_mismatch',
        `PRAGMA ${name} is ${String(actual)}, expected ${String(expected)}`,
      );
    }
  }
}

/** All pending migrations in one transaction: a kiosk is never left half-migrated (Signal's rule). */
function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return;
  // A migration may rebuild whole tables in its one transaction: bulk work (page-cache.ts).
  withBulkCache(db, () =>
    db.transaction(() => {
      for (const migration of pending) {
        migration.up(db);
        log.info('migrated', { version: migration.version, name: migration.name });
      }
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${LATEST_VERSION}`);
    })(),
  );
}

/**
 * The data directory holds every guest's name and email and the event's keys: owner-only (0700, the
 * database 0600) whatever the umask, so another user of the laptop can neither list nor copy it. SQLite
 * gives the -wal and -shm files the database file's mode, so fixing the database file covers them.
 *
 * A directory every user shares (sticky or writable by all, as /tmp) is refused, untouched: made 0700 it
 * locked every other user and service of the laptop out of it (a database opened in /tmp did that here,
 * and the next embedded PostgreSQL could not read its own password file there), and left as it was, the
 * guests' data would sit where anyone can put files beside it.
 */
function makeDirectoryPrivate(file: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = fs.statSync(dir).mode;
  // Windows reports made-up mode bits: its folders' access is the user profile's, not these.
  if (process.platform !== 'win32' && (mode & 0o1002) !== 0)
    throw new LanyardFailure(
      'data_dir_shared',
      `${dir} is shared with every user of this computer; choose a folder of Lanyard's own (nothing was changed)`,
    );
  if ((mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
  if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'a', 0o600));
}

/** After the identity check: a foreign file is refused untouched, modes included. */
function makeFilesPrivate(file: string): void {
  for (const part of [file, `${file}-wal`, `${file}-shm`]) {
    const stat = fs.statSync(part, { throwIfNoEntry: false });
    if (stat !== undefined && (stat.mode & 0o077) !== 0) fs.chmodSync(part, 0o600);
  }
}

/** Opens (creating if needed) the kiosk database: identity check, pragmas with self-test, migrations. */
export function openDatabase(file: string): Database {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (fs.existsSync(file) && !looksLikeSqlite(file)) {
    throw new LanyardFailure('db_not_lanyard', `${file} is not a SQLite database; it was not changed`);
  }
  makeDirectoryPrivate(file);
  let db: Database;
  try {
    db = new BetterSqlite3(file);
  } catch (error) {
    throw new LanyardFailure('db_open_failed', `cannot open ${file}: ${(error as Error).message}`);
  }
  try {
    checkIdentity(db, file);
    makeFilesPrivate(file);
    applyPragmas(db);
    migrate(db);
    // Before any service makes its transactions: they take turns with a big import's writer worker.
    installWriteGate(db);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof LanyardFailure) throw error;
    throw new LanyardFailure('db_open_failed', `cannot open ${file}: ${(error as Error).message}`);
  }
}
