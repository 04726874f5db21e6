import fs from 'node:fs';
import path from 'node:path';
import { LanyardFailure } from '../../../shared/result.ts';
import type { SyncReport } from '../../../shared/sync/status.ts';
import { createKiosk, type Kiosk, type KioskOptions } from '../kiosk.ts';
import { createLogger } from '../log.ts';
import { databaseFile } from '../paths.ts';
import { refuseWhileAppRuns } from './app-lock.ts';
import { checkBackupFile } from './backup-file.ts';

const log = createLogger('restore');

export interface RestoreOutcome {
  eventId: string | null;
  restoredFrom: string;
  /** A backup of what the kiosk held before (the backup API, like every backup), or '' when it held nothing. */
  previous: string;
  guests: number;
  events: number;
  /** null: not paired; otherwise whether the catch-up sync ran. */
  synced: boolean | null;
  sync: SyncReport | null;
}

/** What the kiosk holds now, if its database opens: event, device, and a kiosk to back it up with. */
function currentFacts(options: KioskOptions): { kiosk: Kiosk; eventId: string | null; deviceId: string | null } | null {
  if (!fs.existsSync(databaseFile(options.dataDir))) return null;
  const kiosk = createKiosk({ ...options, appLock: false });
  if (kiosk.db === null) {
    kiosk.close();
    return null; // damaged or refused: nothing that could still be read is lost by replacing it
  }
  const one = (sql: string) => (kiosk.db!.prepare(sql).pluck().get() as string | undefined) ?? null;
  return {
    kiosk,
    eventId: one(`SELECT id FROM event_info LIMIT 1`),
    deviceId: one(`SELECT value FROM meta WHERE key = 'device_id'`),
  };
}

/** Puts a checked backup file in place of the kiosk database (which must be closed). */
function putInPlace(dataDir: string, backup: string): void {
  const target = databaseFile(dataDir);
  const incoming = `${target}.restoring`;
  fs.mkdirSync(dataDir, { recursive: true });
  fs.copyFileSync(backup, incoming); // a closed backup file, not a live database
  fs.chmodSync(incoming, 0o600);
  const fd = fs.openSync(incoming, 'r+');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  // The old WAL belongs to the old file: replayed onto the restored one it would corrupt it.
  for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(`${target}${suffix}`, { force: true });
  fs.renameSync(incoming, target);
}

/**
 * `lanyard restore FILE`: refused while the app has the data directory open, for a backup of another event
 * (`wrong_event`) or another kiosk of it (`wrong_kiosk`), a newer schema (`db_too_new`) or a damaged file.
 * What the kiosk held before is kept as a backup first. A paired kiosk then syncs at once: the server
 * gives back this kiosk's own check-ins made after the backup, so its next events continue the sequence
 * after them and nothing is sent twice. If that sync fails the old database is put back (`restore_needs_sync`),
 * unless `force`: then the kiosk stays restored, and its next sync fetches them.
 */
export async function restoreBackup(options: KioskOptions, file: string, force: boolean): Promise<RestoreOutcome> {
  const { dataDir } = options;
  refuseWhileAppRuns(dataDir, 'restoring a backup');
  const source = path.resolve(file);
  if (!fs.existsSync(source)) throw new LanyardFailure('file_unreadable', `no file ${source}`);
  const facts = checkBackupFile(source, { writable: false });
  if (facts.integrity !== 'ok')
    throw new LanyardFailure('backup_damaged', `${source} failed its integrity check: ${facts.integrity}`);

  const current = currentFacts(options);
  let previous = '';
  try {
    if (current !== null) {
      if (current.eventId !== null && current.eventId !== facts.eventId) {
        throw new LanyardFailure(
          'wrong_event',
          `this kiosk holds event ${current.eventId}; the backup is of ${facts.eventId ?? 'a kiosk without an event'}`,
        );
      }
      // A kiosk without an event has nothing of its own yet; its fresh device id does not count.
      if (current.eventId !== null && facts.deviceId !== null && current.deviceId !== facts.deviceId) {
        throw new LanyardFailure(
          'wrong_kiosk',
          `the backup is of another kiosk (device ${facts.deviceId}) of this event; restore it on that kiosk, or into an empty data directory`,
        );
      }
      if (current.eventId !== null) {
        const folder = current.kiosk.backups!.status().folder;
        fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
        previous = path.join(folder, `before-restore-${Date.now()}.sqlite`);
        await current.kiosk.backups!.backupTo(previous);
      }
    }
  } finally {
    current?.kiosk.close();
  }

  putInPlace(dataDir, source);
  const kiosk = createKiosk({ ...options, appLock: false });
  try {
    if (kiosk.db === null)
      throw new LanyardFailure('backup_damaged', `${source} could not be opened as the kiosk database`);
    // The list of backups this kiosk made is the one of the moment it was restored, plus the safety copy.
    if (previous !== '') recordPrevious(kiosk, previous);
    let synced: boolean | null = null;
    let report: SyncReport | null = null;
    if (kiosk.sync?.engine.paired) {
      try {
        report = await kiosk.sync.engine.syncOnce();
        synced = true;
      } catch (error) {
        synced = false;
        // With nothing readable before the restore there is nothing to put back: the kiosk stays restored.
        if (!force && previous !== '') {
          kiosk.close();
          if (previous !== '') putInPlace(dataDir, previous);
          throw new LanyardFailure(
            'restore_needs_sync',
            `the restored kiosk could not sync (${(error as Error).message}); the previous database is back. Restore while the server is reachable, or with --force`,
          );
        }
        log.warn('restored without the catch-up sync', { error: String(error) });
      }
    }
    const count = (sql: string) => kiosk.db!.prepare(sql).pluck().get() as number;
    const outcome: RestoreOutcome = {
      eventId: facts.eventId,
      restoredFrom: source,
      previous,
      guests: count(`SELECT count(*) FROM settled_guests`),
      events: count(`SELECT count(*) FROM facts`),
      synced,
      sync: report,
    };
    log.info('backup restored', { ...outcome, sync: undefined });
    return outcome;
  } finally {
    kiosk.close();
  }
}

/** The safety copy joins the restored list of this kiosk's backups (so closing the event deletes it too). */
function recordPrevious(kiosk: Kiosk, previous: string): void {
  const db = kiosk.db!;
  const stored = db.prepare(`SELECT value FROM meta WHERE key = 'backup_files'`).pluck().get() as string | undefined;
  const list = stored === undefined ? [] : (JSON.parse(stored) as unknown[]);
  const entry = { file: previous, at: new Date().toISOString(), bytes: fs.statSync(previous).size, ok: true };
  db.prepare(
    `INSERT INTO meta (key, value) VALUES ('backup_files', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  ).run(JSON.stringify([entry, ...list]));
}
