import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Handlers } from '../../shared/contract.ts';
import { LanyardFailure } from '../../shared/result.ts';
import { acquireAppLock } from './backup/app-lock.ts';
import type { BackupService } from './backup/service.ts';
import type { SyncAgent } from './background-services.ts';
import type { CodeService } from './badges/codes/signed-codes.ts';
import { degradedHandlers, unopenedHandlers } from './closed-handlers.ts';
import { wipeKioskFiles } from './closing/service.ts';
import { openDatabase } from './db/open.ts';
import type { HubService } from './hub/service.ts';
import { composeKiosk } from './kiosk-composition.ts';
import type { KioskOptions } from './kiosk-options.ts';
import { createLogger } from './log.ts';
import { databaseFile } from './paths.ts';
import { guardSelfServiceScreen } from './self-service/screen-guard.ts';
import { gateHandlers } from './staff/gate.ts';

const log = createLogger('kiosk');

export { APP_VERSION } from './device/handlers.ts';
export { idempotencyOf } from './idempotency.ts';
export type { SyncAgent } from './background-services.ts';
export type { KioskOptions } from './kiosk-options.ts';

export interface Kiosk {
  /** For the screen (IPC, the loopback host, tests of the UI's path): staff sign-in and supervisor gates. */
  handlers: Handlers;
  /** For the machine owner's CLI: no PIN asked. */
  ownerHandlers: Handlers;
  /** null when the database could not be opened. */
  sync: SyncAgent | null;
  /** The database, for tests and the bench; null when it could not be opened. */
  db: Database | null;
  /** The badge-code keys and secrets, for `publish` (the event package carries them); null when degraded. */
  codes: CodeService | null;
  /** Rolling backups; null when the database could not be opened. */
  backups: BackupService | null;
  /** The venue hub (the sync server for the doors on the LAN); null when the database could not be opened. */
  hub: HubService | null;
  /** Starts the app's background work: sync once paired, rolling backups. Again after the event is closed. */
  startBackground(): void;
  close(): void;
}

/**
 * A kiosk's life around its database: the app lock, the database opened and composed (kiosk-composition.ts),
 * a degraded kiosk when it cannot be, and closing the event (the files go; the next event opens anew).
 */
export function createKiosk(options: KioskOptions): Kiosk {
  let release = () => {};
  let lockRefused: LanyardFailure | null = null;
  try {
    if (options.appLock) release = acquireAppLock(options.dataDir, options.now);
  } catch (error) {
    if (!(error instanceof LanyardFailure)) throw error;
    lockRefused = error; // another app has this data directory: show why, touch nothing
  }
  let background = false;
  const kiosk: Kiosk = {
    handlers: {} as Handlers,
    ownerHandlers: {} as Handlers,
    sync: null,
    db: null,
    codes: null,
    backups: null,
    hub: null,
    startBackground: () => {
      background = true;
      kiosk.sync?.loop.start(); // syncs once paired; the door never waits for the network
      kiosk.backups?.start();
      kiosk.hub?.resume(); // the venue hub listens again if a supervisor left it on
    },
    close: () => {
      shut();
      dropScratch();
      release();
    },
  };
  let stopHelpers = () => {};
  const shut = () => {
    stopHelpers();
    stopHelpers = () => {};
    kiosk.backups?.stop();
    kiosk.sync?.loop.stop();
    // The hub's server stops with the app; it stays "on" for the app's next start.
    void kiosk.hub?.shutdown();
    kiosk.db?.close();
    kiosk.db = null;
    kiosk.sync = null;
    kiosk.codes = null;
    kiosk.backups = null;
    kiosk.hub = null;
  };
  const degrade = (error: LanyardFailure) => {
    const handlers = degradedHandlers({ code: error.code, message: error.message }, options.dataDir);
    Object.assign(kiosk.handlers, handlers);
    Object.assign(kiosk.ownerHandlers, handlers);
  };
  // The transports hold kiosk.handlers and kiosk.ownerHandlers: both are filled in place, so closing the
  // event and opening the next database reach them.
  const open = (): void => {
    try {
      const db = openDatabase(databaseFile(options.dataDir));
      const opened = composeKiosk(db, options, wipe);
      Object.assign(kiosk, { db, sync: opened.sync, codes: opened.codes, backups: opened.backups, hub: opened.hub });
      stopHelpers = opened.stopHelpers;
      const screen = gateHandlers(opened.handlers, opened.access, 'screen');
      Object.assign(
        kiosk.handlers,
        guardSelfServiceScreen(screen, () => opened.selfService.isActive()),
      );
      Object.assign(kiosk.ownerHandlers, gateHandlers(opened.handlers, opened.access, 'owner'));
      if (background) kiosk.startBackground();
    } catch (error) {
      if (!(error instanceof LanyardFailure)) throw error;
      log.error('database refused', { code: error.code, message: error.message });
      degrade(error);
    }
  };
  let scratch: { kiosk: Kiosk; dir: string } | null = null;
  const scratchKiosk = (): Kiosk => {
    if (scratch === null) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanyard-closed-'));
      scratch = { kiosk: createKiosk({ ...options, dataDir: dir, appLock: false }), dir };
    }
    return scratch.kiosk;
  };
  const dropScratch = () => {
    if (scratch === null) return;
    scratch.kiosk.close();
    fs.rmSync(scratch.dir, { recursive: true, force: true });
    scratch = null;
  };
  const wipe = (backupFiles: string[]): number => {
    shut();
    const removed = wipeKioskFiles(options.dataDir, backupFiles);
    const reopen = (): void => {
      dropScratch();
      open();
    };
    for (const map of ['handlers', 'ownerHandlers'] as const) {
      const opened = () => {
        reopen();
        return kiosk[map];
      };
      Object.assign(
        kiosk[map],
        unopenedHandlers(options.dataDir, opened, () => scratchKiosk()[map]),
      );
    }
    log.info('event closed on this kiosk', { removed: removed.length });
    return removed.length;
  };
  if (lockRefused === null) open();
  else degrade(lockRefused);
  return kiosk;
}
