import fs from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { LanyardFailure } from '../../../shared/result.ts';
import { APPLICATION_ID } from '../db/open.ts';
import { LATEST_VERSION } from '../db/migrations/index.ts';

/**
 * One backup of a live kiosk database with SQLite's online backup API (better-sqlite3's `db.backup()`),
 * never a file copy: the API copies a consistent snapshot page by page, between scans, while a copy of
 * the file could catch a half-written page or miss the WAL (sqlite.org/howtocorrupt.html). The copy is
 * made owner-only from its first byte, switched to a single self-contained file (rollback journal), checked
 * with `PRAGMA integrity_check`, and only then given its name.
 */
export async function backupDatabase(db: Database, target: string): Promise<{ bytes: number }> {
  const partial = `${target}.partial`;
  fs.rmSync(partial, { force: true });
  fs.writeFileSync(partial, '', { mode: 0o600 });
  try {
    await db.backup(partial);
    const check = checkBackupFile(partial, { writable: true });
    if (check.integrity !== 'ok')
      throw new LanyardFailure('backup_failed', `the backup failed its integrity check: ${check.integrity}`);
    fs.chmodSync(partial, 0o600);
    fs.renameSync(partial, target);
    return { bytes: fs.statSync(target).size };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    fs.rmSync(`${partial}-journal`, { force: true });
    if (error instanceof LanyardFailure) throw error;
    throw new LanyardFailure('backup_failed', `could not write the backup ${target}: ${(error as Error).message}`);
  }
}

export interface BackupFacts {
  integrity: string;
  schema: number;
  eventId: string | null;
  deviceId: string | null;
}

/**
 * Reads what a backup file holds (event, device, schema) and checks it page by page. With `writable` (a
 * fresh backup of ours) it is first switched out of WAL mode so it stays one file.
 */
export function checkBackupFile(file: string, { writable }: { writable: boolean }): BackupFacts {
  let db: Database;
  try {
    db = new BetterSqlite3(file, { readonly: !writable, fileMustExist: true });
  } catch (error) {
    throw new LanyardFailure('backup_damaged', `${file} cannot be opened: ${(error as Error).message}`);
  }
  try {
    if (writable) db.pragma('journal_mode = DELETE');
    const appId = db.pragma('application_id', { simple: true }) as number;
    if (appId !== APPLICATION_ID)
      throw new LanyardFailure('db_not_lanyard', `${file} is not a backup of a Lanyard kiosk`);
    const schema = db.pragma('user_version', { simple: true }) as number;
    if (schema > LATEST_VERSION) {
      throw new LanyardFailure(
        'db_too_new',
        `${file} has schema version ${schema}, newer than this Lanyard (${LATEST_VERSION}); update Lanyard first`,
      );
    }
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>)
      .map((r) => r.integrity_check)
      .join('; ');
    const eventId = (db.prepare(`SELECT id FROM event_info LIMIT 1`).pluck().get() as string | undefined) ?? null;
    const deviceId =
      (db.prepare(`SELECT value FROM meta WHERE key = 'device_id'`).pluck().get() as string | undefined) ?? null;
    return { integrity, schema, eventId, deviceId };
  } catch (error) {
    if (error instanceof LanyardFailure) throw error;
    throw new LanyardFailure('backup_damaged', `${file} is damaged: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}
