import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { CloseCheck } from '../../../shared/backup.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { readEvent } from '../event/store.ts';
import { createLogger } from '../log.ts';
import type { MetaStore } from '../meta.ts';
import { databaseFile } from '../paths.ts';

const log = createLogger('closing');

const BUNDLE_KEY = 'bundle_exported';

/**
 * The last event the attendance bundle covered: recorded when a bundle export finishes. The log is
 * append-only, so its count grows with every fact (and equals the max(rowid) older versions recorded).
 */
export function lastEventMarker(db: Database): number {
  return db.prepare(`SELECT count(*) FROM facts`).pluck().get() as number;
}

export function recordBundleExport(meta: MetaStore, throughRowid: number, atMs: number): void {
  meta.set(BUNDLE_KEY, JSON.stringify({ through: throughRowid, at: new Date(atMs).toISOString() }));
}

export interface CloseFacts {
  db: Database;
  meta: MetaStore;
  deviceId: string;
  paired: boolean;
  serverUrl: string;
  /** Own events the server has not acknowledged (only asked when paired). */
  pending: () => number;
  backups: number;
  /** The venue hub's data folder when there is one, else '' (closing keeps it). */
  hubData: string;
}

/** What closing would lose: events not on the server, and whether the bundle export covers them. */
export function closeCheck(facts: CloseFacts): CloseCheck {
  const { db } = facts;
  const one = (sql: string, ...params: unknown[]) =>
    db
      .prepare(sql)
      .pluck()
      .get(...params) as number;
  const ownEvents = one(`SELECT count(*) FROM facts WHERE device_id = ?`, facts.deviceId);
  const unsynced = facts.paired ? facts.pending() : ownEvents;
  const stored = facts.meta.get(BUNDLE_KEY);
  const bundle = stored === null ? null : (JSON.parse(stored) as { through: number; at: string });
  const exportedAfterLastEvent = bundle !== null && bundle.through >= lastEventMarker(db);
  return {
    eventId: readEvent(db)?.id ?? null,
    paired: facts.paired,
    serverUrl: facts.serverUrl,
    ownEvents,
    unsynced,
    bundleExportedAt: bundle?.at ?? '',
    exportedAfterLastEvent,
    guests: one(`SELECT count(*) FROM settled_guests`),
    backups: facts.backups,
    hubData: facts.hubData,
    canClose: unsynced === 0 || exportedAfterLastEvent,
  };
}

export function refuseUnsynced(check: CloseCheck): void {
  if (check.canClose) return;
  throw new LanyardFailure(
    'unsynced_events',
    `${check.unsynced} event(s) of this kiosk are not on the server and not in an exported bundle: sync, or export the bundle (lanyard export --format bundle), then close the event`,
  );
}

/** Overwrites a file with zeros before unlinking it, so its pages do not linger in free blocks of the file system. */
function shred(file: string): boolean {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return false;
  }
  try {
    const fd = fs.openSync(file, 'r+');
    try {
      const zeros = Buffer.alloc(Math.min(size, 1 << 20));
      for (let at = 0; at < size; at += zeros.length) fs.writeSync(fd, zeros, 0, Math.min(zeros.length, size - at), at);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    log.warn('could not overwrite before deleting', { file, error: String(error) });
  }
  fs.rmSync(file, { force: true });
  return true;
}

/**
 * Deletes what the event left on this kiosk: the database with its WAL, shared memory and journal (keys and
 * the sealed sync token live in it), and the backups this kiosk made. The database must be closed.
 */
export function wipeKioskFiles(dataDir: string, backupFiles: readonly string[]): string[] {
  const removed: string[] = [];
  const db = databaseFile(dataDir);
  for (const file of [
    db,
    `${db}-wal`,
    `${db}-shm`,
    `${db}-journal`,
    ...backupFiles.flatMap((f) => [f, `${f}.partial`]),
  ]) {
    if (shred(file)) removed.push(file);
  }
  // Import scratch files (staged new guests: names and emails) live in the data directory's staging folder.
  const staging = path.join(dataDir, 'staging');
  for (const file of fs.existsSync(staging) ? fs.readdirSync(staging) : []) {
    if (shred(path.join(staging, file))) removed.push(path.join(staging, file));
  }
  fs.rmSync(staging, { recursive: true, force: true });
  // The default backup folder inside the data directory goes too, once it holds nothing else.
  const folder = path.join(dataDir, 'backups');
  try {
    if (fs.readdirSync(folder).length === 0) fs.rmdirSync(folder);
  } catch {
    // not there: nothing to do
  }
  log.info('kiosk files wiped', { count: removed.length });
  return removed;
}
