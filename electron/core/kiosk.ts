import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Handlers } from '../../shared/contract.ts';
import { LanyardFailure } from '../../shared/result.ts';
import { acquireAppLock } from './backup/app-lock.ts';
import { BackupService } from './backup/service.ts';
import { badgeCodeHandlers } from './badges/codes/handlers.ts';
import { ShortCodeService } from './badges/codes/short-codes.ts';
import { CodeService, eventTag } from './badges/codes/signed-codes.ts';
import { badgeHandlers } from './badges/handlers.ts';
import { BadgePrints } from './badges/prints.ts';
import { checkinHandlers } from './checkin/handlers.ts';
import { SAME_SCAN_WINDOW_MS, SameScanRule } from './checkin/same-scan.ts';
import { CheckinService } from './checkin/service.ts';
import { degradedHandlers, unopenedHandlers } from './closed-handlers.ts';
import { BundleExportWatch, lifecycleHandlers } from './closing/handlers.ts';
import { wipeKioskFiles } from './closing/service.ts';
import { startCheckpoints } from './db/checkpoints.ts';
import { openDatabase } from './db/open.ts';
import { openDeviceContext } from './device/context.ts';
import { deviceHandlers } from './device/handlers.ts';
import { ForumSetupService } from './event/forum-setup.ts';
import { guardEvent } from './event/guard.ts';
import { eventHandlers } from './event/handlers.ts';
import { EventService } from './event/service.ts';
import { readEvent } from './event/store.ts';
import { FactLog } from './facts/log.ts';
import { forumHandlers } from './forums/handlers.ts';
import { ForumService } from './forums/service.ts';
import { guestHandlers } from './guests/handlers.ts';
import { hubHandlers } from './hub/handlers.ts';
import { HubService } from './hub/service.ts';
import { GuestSearch } from './guests/search.ts';
import { GuestStore } from './guests/store.ts';
import { JobRunner } from './jobs.ts';
import { createLogger } from './log.ts';
import { MetaStore } from './meta.ts';
import { databaseFile } from './paths.ts';
import { rosterHandlers } from './roster/handlers.ts';
import { RosterService } from './roster/service.ts';
import type { SecretBox } from './secrets.ts';
import { GuestFinder } from './self-service/guest-finder.ts';
import { selfServiceHandlers } from './self-service/handlers.ts';
import { LookupGuard } from './self-service/lookup-guard.ts';
import { guardSelfServiceScreen } from './self-service/screen-guard.ts';
import { SelfService } from './self-service/service.ts';
import { StaffAccess } from './staff/access.ts';
import { gateHandlers } from './staff/gate.ts';
import { staffHandlers } from './staff/handlers.ts';
import { StaffStore } from './staff/store.ts';
import { statsTimelineHandlers } from './stats/timeline.ts';
import { ConflictStore } from './sync/conflicts.ts';
import { SyncEngine } from './sync/engine.ts';
import { syncHandlers } from './sync/handlers.ts';
import { SyncLoop } from './sync/loop.ts';

const log = createLogger('kiosk');

export { APP_VERSION } from './device/handlers.ts';
export { idempotencyOf } from './idempotency.ts';

export interface KioskOptions {
  dataDir: string;
  /** Wall clock in ms; injected so tests can skew it. */
  now: () => number;
  /** Seals the server token before it is stored (OS keychain in Electron, a key file on the CLI). */
  secrets: SecretBox;
  /** A repeat of the same code within this many ms is the same scan (default 2 s; 0 turns it off). */
  sameScanWindowMs?: number;
  /**
   * The app (Electron, `lanyard serve`) holds a lock file in the data directory while it has the database
   * open, so `lanyard restore` and `lanyard wipe` refuse meanwhile. One-off CLI commands do not.
   */
  appLock?: boolean;
  /** A migrated PGlite cluster a new venue hub starts from (tests: initdb in WASM takes seconds). */
  hubPgliteTemplate?: () => Promise<Blob | null>;
}

/** Sync with the central server: the engine (pair, one round, status) and its background loop. */
export interface SyncAgent {
  engine: SyncEngine;
  loop: SyncLoop;
}

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

interface OpenKiosk extends Pick<Kiosk, 'handlers'> {
  access: StaffAccess;
  sync: SyncAgent;
  codes: CodeService;
  backups: BackupService;
  hub: HubService;
  selfService: SelfService;
  /** Stops the roster code indexer and the checkpoint worker; returns once neither touches the database. */
  stopHelpers: () => void;
}

/**
 * The composition root: every service of an open database, and the one handler map merged from each
 * domain's part, with the event guard in front (the staff gate goes on top in createKiosk).
 */
function openHandlers(db: Database, options: KioskOptions, wipe: (backupFiles: string[]) => number): OpenKiosk {
  const { now } = options;
  const meta = new MetaStore(db);
  const access = new StaffAccess(new StaffStore(db, now), meta, now);
  const context = openDeviceContext(db, meta, access);
  const { deviceId, device } = context;
  const operator = () => device().operator;

  const facts = new FactLog(db, deviceId, now);
  const guests = new GuestStore(db);
  const search = new GuestSearch(db, guests);
  const requireEventInfo = () => {
    const event = readEvent(db);
    if (event === null)
      throw new LanyardFailure('no_event', 'this kiosk has no event yet; load the demo or create one');
    return event;
  };
  // The event id never changes once set: read it once for the code service's hot path.
  let eventId: string | null = null;
  const currentEventId = () => (eventId ??= requireEventInfo().id);
  const eventTagHex = () => Buffer.from(eventTag(currentEventId())).toString('hex');
  const short = new ShortCodeService(db, meta, options.secrets, eventTagHex, now);
  const codes = new CodeService(db, currentEventId, now, short, options.secrets);
  codes.sealStoredKeys(); // keys an older Lanyard stored plain
  const sameScan = new SameScanRule(db, deviceId, now, options.sameScanWindowMs ?? SAME_SCAN_WINDOW_MS);
  const checkins = new CheckinService(db, facts, guests, device, codes, short, sameScan);
  const forums = new ForumService(db, facts, guests, device, sameScan, () =>
    access.requireSupervisor('forums.assign', 'assigning a guest to a full forum'),
  );
  forums.codeSources = checkins.sources;
  const eventSetup = new EventService(db, meta, codes, () => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const forumSetup = new ForumSetupService(db, forums, meta);
  const jobs = new JobRunner();
  const roster = new RosterService(db, guests, jobs, requireEventInfo, operator, now);

  const conflicts = new ConflictStore(db, now);
  const engine = new SyncEngine({
    db,
    meta,
    projections: { facts, guests, checkins, forums },
    codes,
    conflicts,
    deviceId,
    now,
    secrets: options.secrets,
  });
  const loop = new SyncLoop(engine, Math.random, now);
  const backups = new BackupService({
    db,
    meta,
    dataDir: options.dataDir,
    eventId: () => readEvent(db)?.id ?? null,
    now,
  });
  const hub = new HubService({
    db,
    meta,
    codes,
    engine,
    loop,
    dataDir: options.dataDir,
    now,
    doorName: () => device().door,
    pgliteTemplate: options.hubPgliteTemplate ?? null,
  });
  const bundleExports = new BundleExportWatch(db, meta, now);
  const sources = checkins.sources;

  const doorHandlers = {
    ...deviceHandlers({ db, meta, access, context, dataDir: options.dataDir, hub: () => hub.indicator() }),
    ...eventHandlers({ events: eventSetup, forumSetup, forums, guests }),
    ...checkinHandlers({ checkins, access, deviceId }),
    ...guestHandlers({ guests, search }),
    ...forumHandlers(forums),
    ...rosterHandlers({ roster, jobs, bundleExports }),
    ...badgeCodeHandlers({ db, meta, guests, codes, short, sources, event: requireEventInfo, operator }),
    ...badgeHandlers({ meta, guests, prints: new BadgePrints(db, facts), access, device }),
    ...syncHandlers({ engine, loop, conflicts, operator }),
    ...hubHandlers(hub),
    ...staffHandlers(access),
    ...statsTimelineHandlers({ db, now }),
    ...lifecycleHandlers({ db, meta, guests, codes, jobs, engine, backups, deviceId, now, wipe }),
  };
  // Self-service checks guests in and prints their badges through the door's own handlers.
  const finder = new GuestFinder(db);
  const guard = new LookupGuard(meta, now);
  const selfService = new SelfService({ meta, access, finder, guard, door: doorHandlers, now });
  const handlers = { ...doorHandlers, ...selfServiceHandlers(selfService) } satisfies Handlers;
  // Roster badge codes are found through an index of the roster's codes; it is kept up in slices between
  // scans, so the first scan after a big import or a package does not pay for it.
  const stopIndexer = short.startIndexer();
  const stopCheckpoints = startCheckpoints(db); // the door's commits never pay for a checkpoint
  return {
    handlers: guardEvent(handlers, () => readEvent(db) !== null),
    access,
    sync: { engine, loop },
    codes,
    backups,
    hub,
    selfService,
    stopHelpers: () => {
      stopIndexer();
      stopCheckpoints();
    },
  };
}

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
      const opened = openHandlers(db, options, wipe);
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
