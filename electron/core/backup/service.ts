import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { LanyardFailure, type LanyardError } from '../../../shared/result.ts';
import type { BackupInfo, BackupStatus } from '../../../shared/backup.ts';
import { createLogger } from '../log.ts';
import type { MetaStore } from '../meta.ts';
import { backupDatabase } from './backup-file.ts';

const log = createLogger('backup');

export const DEFAULT_INTERVAL_MINUTES = 5;
export const DEFAULT_KEEP = 12;
/** Backups this kiosk made (so pruning and closing the event touch only ours, even on a shared stick). */
const MADE_KEY = 'backup_files';

export function defaultBackupFolder(dataDir: string): string {
  return path.join(dataDir, 'backups');
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
}

/**
 * Rolling online backups of the kiosk database (R30): every few minutes and on demand, into a
 * folder the supervisor chooses (a USB stick), keeping the last N this kiosk made.
 */
export class BackupService {
  private readonly db: Database;
  private readonly meta: MetaStore;
  private readonly dataDir: string;
  private readonly eventId: () => string | null;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<BackupInfo> | null = null;
  private lastError: LanyardError | null = null;

  constructor(deps: {
    db: Database;
    meta: MetaStore;
    dataDir: string;
    eventId: () => string | null;
    now: () => number;
  }) {
    this.db = deps.db;
    this.meta = deps.meta;
    this.dataDir = deps.dataDir;
    this.eventId = deps.eventId;
    this.now = deps.now;
  }

  private settings(): { folder: string; intervalMinutes: number; keep: number } {
    return {
      folder: this.meta.get('backup_folder') ?? defaultBackupFolder(this.dataDir),
      intervalMinutes: Number(this.meta.get('backup_interval_minutes') ?? DEFAULT_INTERVAL_MINUTES),
      keep: Number(this.meta.get('backup_keep') ?? DEFAULT_KEEP),
    };
  }

  /** Every backup this kiosk made that still exists, newest first. */
  made(): BackupInfo[] {
    const stored = this.meta.get(MADE_KEY);
    const list = stored === null ? [] : (JSON.parse(stored) as BackupInfo[]);
    return list.filter((b) => fs.existsSync(b.file)).sort((a, b) => b.at.localeCompare(a.at));
  }

  private record(list: BackupInfo[]): void {
    this.meta.set(MADE_KEY, JSON.stringify(list));
  }

  status(): BackupStatus {
    const s = this.settings();
    const made = this.made();
    return {
      ...s,
      backups: made.slice(0, s.keep),
      running: this.running !== null,
      automatic: this.timer !== null,
      lastError: this.lastError,
    };
  }

  configure(input: { folder: string; intervalMinutes: number; keep: number }): BackupStatus {
    const folder = input.folder.trim() === '' ? defaultBackupFolder(this.dataDir) : path.resolve(input.folder.trim());
    try {
      fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
      fs.accessSync(folder, fs.constants.W_OK);
    } catch (error) {
      throw new LanyardFailure('backup_failed', `cannot write backups to ${folder}: ${(error as Error).message}`);
    }
    this.meta.set('backup_folder', folder);
    this.meta.set('backup_interval_minutes', String(input.intervalMinutes));
    this.meta.set('backup_keep', String(input.keep));
    if (this.timer !== null) this.start(); // the new interval applies from now
    return this.status();
  }

  /** One backup now into the chosen folder; concurrent callers share it. */
  backupNow(): Promise<BackupInfo> {
    this.running ??= this.rolling().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async rolling(): Promise<BackupInfo> {
    const { folder, keep } = this.settings();
    const eventId = this.eventId();
    if (eventId === null) throw new LanyardFailure('no_event', 'this kiosk has no event to back up');
    const safeEvent = eventId.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
    const at = this.now();
    try {
      fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
      const info = await this.backupTo(path.join(folder, `lanyard-${safeEvent}-${stamp(at)}-${at % 1000}.sqlite`));
      this.lastError = null;
      this.prune(keep);
      return info;
    } catch (error) {
      this.lastError =
        error instanceof LanyardFailure
          ? { code: error.code, message: error.message }
          : { code: 'backup_failed', message: (error as Error).message };
      log.error('backup failed', { ...this.lastError });
      throw error;
    }
  }

  /** A checked backup at `file` (`lanyard backup --out`, and the rolling ones), recorded as this kiosk's. */
  async backupTo(file: string): Promise<BackupInfo> {
    const target = path.resolve(file);
    const { bytes } = await backupDatabase(this.db, target);
    const info: BackupInfo = { file: target, at: new Date(this.now()).toISOString(), bytes, ok: true };
    this.record([info, ...this.made().filter((b) => b.file !== target)]);
    log.info('backup written', { file: target, bytes });
    return info;
  }

  /** Deletes the oldest rolling backups beyond `keep` (in the chosen folder; `--out` files are the owner's). */
  private prune(keep: number): void {
    const { folder } = this.settings();
    const made = this.made();
    const rolling = made.filter((b) => path.dirname(b.file) === folder && path.basename(b.file).startsWith('lanyard-'));
    const gone = new Set(rolling.slice(keep).map((b) => b.file));
    for (const file of gone) fs.rmSync(file, { force: true });
    if (gone.size > 0) this.record(made.filter((b) => !gone.has(b.file)));
  }

  /** Backs up every interval while the app runs (the first one an interval after start). */
  start(): void {
    this.stop();
    const every = this.settings().intervalMinutes * 60_000;
    this.timer = setInterval(() => {
      if (this.eventId() === null) return;
      this.backupNow().catch(() => {}); // recorded in lastError, shown in Settings
    }, every);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Settles when a running backup is done (before the database closes). */
  async idle(): Promise<void> {
    await this.running?.catch(() => {});
  }
}
