import fs from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { Handlers } from '../../../shared/contract.ts';
import { BadgeSettingsSchema } from '../../../shared/contract.ts';
import type { BackupService } from '../backup/service.ts';
import type { CodeService } from '../badges/codes/signed-codes.ts';
import { readEvent } from '../event/store.ts';
import type { GuestStore } from '../guests/store.ts';
import { exportSetup, setupFromFile } from '../handoff/service.ts';
import { hubDir } from '../hub/files.ts';
import type { JobRunner, JobStatus } from '../jobs.ts';
import type { MetaStore } from '../meta.ts';
import type { SyncEngine } from '../sync/engine.ts';
import { closeCheck, lastEventMarker, recordBundleExport, refuseUnsynced } from './service.ts';

export interface LifecycleDeps {
  db: Database;
  meta: MetaStore;
  guests: GuestStore;
  codes: CodeService;
  jobs: JobRunner;
  engine: SyncEngine;
  backups: BackupService;
  deviceId: string;
  dataDir: string;
  now: () => number;
  /** Closes the database, deletes the kiosk's files (and these backups) and returns it to the welcome screen. */
  wipe: (backupFiles: string[]) => number;
}

type LifecycleMethods =
  | 'handoff.exportSetup'
  | 'handoff.setupFromFile'
  | 'backups.status'
  | 'backups.configure'
  | 'backups.now'
  | 'event.closeCheck'
  | 'event.close';

/**
 * The venue hub's data folder, which closing the event never deletes: its server database may hold the only
 * server copy of other doors' check-ins (a hub not linked, or not relayed yet). '' when there is none.
 */
function keptHubData(dataDir: string): string {
  const dir = hubDir(dataDir);
  return fs.existsSync(dir) ? dir : '';
}

/**
 * The event's life on a kiosk beyond the door: hand-off to another kiosk, backups, closing.
 * Each action is its own handler, so supervisor gating can name it.
 */
export function lifecycleHandlers(deps: LifecycleDeps): Pick<Handlers, LifecycleMethods> {
  const { db, meta, engine, backups } = deps;
  const handoff = { ...deps };
  const check = () =>
    closeCheck({
      db,
      meta,
      deviceId: deps.deviceId,
      paired: engine.paired,
      serverUrl: engine.status().serverUrl,
      pending: () => engine.pending(),
      backups: backups.made().length,
      hubData: keptHubData(deps.dataDir),
    });
  return {
    'handoff.exportSetup': ({ passphrase }) => {
      const { text, fileName, sealed, deviceKeyId, guests } = exportSetup(handoff, passphrase);
      return { text, fileName, sealed, deviceKeyId, guests };
    },
    'handoff.setupFromFile': ({ text, passphrase }) => {
      const outcome = setupFromFile(handoff, text, passphrase);
      // Badge settings from another Lanyard may carry fields this one does not know: keep what parses.
      const stored = meta.get('badge_settings');
      if (stored !== null && !BadgeSettingsSchema.partial().safeParse(JSON.parse(stored)).success)
        meta.set('badge_settings', '{}');
      return outcome;
    },
    'backups.status': () => backups.status(),
    'backups.configure': (settings) => backups.configure(settings),
    'backups.now': () => ({ jobId: deps.jobs.start('backups.now', 30 * 60_000, () => backups.backupNow()) }),
    'event.closeCheck': () => check(),
    'event.close': ({ force }) => {
      const current = check();
      if (!force) refuseUnsynced(current);
      const files = backups.made().map((b) => b.file);
      return { closed: true as const, removedFiles: deps.wipe(files), hubData: keptHubData(deps.dataDir) };
    },
  };
}

/**
 * Remembers the last event a bundle export covers (captured when the export starts) and records it once the
 * finished file was handed to the caller (`jobs.get` saw it done): that is when it was exported.
 */
export class BundleExportWatch {
  private readonly pending = new Map<string, number>();
  private readonly db: Database;
  private readonly meta: MetaStore;
  private readonly now: () => number;

  constructor(db: Database, meta: MetaStore, now: () => number) {
    this.db = db;
    this.meta = meta;
    this.now = now;
  }

  started(format: string, jobId: string): void {
    if (format === 'bundle' && readEvent(this.db) !== null) this.pending.set(jobId, lastEventMarker(this.db));
  }

  seen(status: JobStatus): JobStatus {
    const through = this.pending.get(status.id);
    if (through !== undefined && status.state !== 'running') {
      this.pending.delete(status.id);
      if (status.state === 'done') recordBundleExport(this.meta, through, this.now());
    }
    return status;
  }
}
