import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { methodNames, type Handlers, type MethodName } from '../../shared/contract.ts';
import { DEFAULT_DOOR, DEFAULT_OPERATOR, type Device } from '../../shared/domain.ts';
import { LanyardFailure, type LanyardError } from '../../shared/result.ts';
import { cleanText } from '../../shared/text/clean.ts';
import { CheckinService } from './checkin/service.ts';
import { openDatabase } from './db/open.ts';
import { readBadgeSettings, writeBadgeSettings } from './event/badge-defaults.ts';
import { ForumSetupService } from './event/forum-setup.ts';
import { eventHandlers } from './event/handlers.ts';
import { EventService } from './event/service.ts';
import { readEvent } from './event/store.ts';
import { IdempotencyStore } from './idempotency.ts';
import { FactLog } from './facts/log.ts';
import { badgeCodeHandlers } from './badges/codes/handlers.ts';
import { ShortCodeService } from './badges/codes/short-codes.ts';
import { CodeService, eventTag } from './badges/codes/signed-codes.ts';
import { ForumService } from './forums/service.ts';
import { JobRunner } from './jobs.ts';
import { RosterService } from './roster/service.ts';
import { GuestStore } from './guests/store.ts';
import { createLogger } from './log.ts';
import { MetaStore } from './meta.ts';
import { databaseFile } from './paths.ts';
import { GuestSearch } from './guests/search.ts';
import { SAME_SCAN_WINDOW_MS, SameScanRule } from './checkin/same-scan.ts';
import type { SecretBox } from './secrets.ts';
import { StaffAccess } from './staff/access.ts';
import { gateHandlers } from './staff/gate.ts';
import { staffHandlers } from './staff/handlers.ts';
import { statsTimelineHandlers } from './stats/timeline.ts';
import { StaffStore } from './staff/store.ts';
import { ConflictStore } from './sync/conflicts.ts';
import { SyncEngine } from './sync/engine.ts';
import { SyncLoop } from './sync/loop.ts';
import { acquireAppLock } from './backup/app-lock.ts';
import { BackupService } from './backup/service.ts';
import { BundleExportWatch, lifecycleHandlers } from './closing/handlers.ts';
import { wipeKioskFiles } from './closing/service.ts';

const log = createLogger('kiosk');

export const APP_VERSION = '0.1.0';

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
  /** Starts the app's background work: sync once paired, rolling backups. Again after the event is closed. */
  startBackground(): void;
  close(): void;
}

function requireEvent<T>(db: Database, body: () => T): T {
  if (readEvent(db) === null)
    throw new LanyardFailure('no_event', 'this kiosk has no event yet; create one or load the demo');
  return body();
}

function openHandlers(
  db: Database,
  options: KioskOptions,
  wipe: (backupFiles: string[]) => number,
): {
  handlers: Handlers;
  access: StaffAccess;
  sync: SyncAgent;
  codes: CodeService;
  backups: BackupService;
  stopIndexer: () => void;
} {
  const meta = new MetaStore(db);
  const access = new StaffAccess(new StaffStore(db, options.now), meta, options.now);
  const deviceId = meta.getOrCreate('device_id', () => randomBytes(10).toString('hex'));
  // Door and operator go into every event: cleaned of control characters here too, so a name stored
  // before text was cleaned (or a door name the server sent at pairing) cannot make every scan's event
  // fail its schema and stop the door's sync.
  const device = (): Device => ({
    id: deviceId,
    door: cleanText(meta.get('door') ?? DEFAULT_DOOR),
    // Who is recorded on facts: the signed-in staff member (or the approving supervisor); with no staff
    // set up, the door's operator setting.
    operator: cleanText(access.actor(meta.get('operator') ?? DEFAULT_OPERATOR)),
    forumDoor: meta.get('forum_door') ?? '',
  });
  db.prepare(`INSERT OR IGNORE INTO devices (id, door) VALUES (?, ?)`).run(deviceId, device().door);

  const facts = new FactLog(db, deviceId, options.now);
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
  const short = new ShortCodeService(
    db,
    meta,
    options.secrets,
    () => Buffer.from(eventTag(currentEventId())).toString('hex'),
    options.now,
  );
  const codes = new CodeService(db, currentEventId, options.now, short, options.secrets);
  codes.sealStoredKeys(); // keys an older Lanyard stored plain
  const sameScan = new SameScanRule(db, deviceId, options.now, options.sameScanWindowMs ?? SAME_SCAN_WINDOW_MS);
  const door = new CheckinService(db, facts, guests, () => device(), codes, short, sameScan);
  const forums = new ForumService(
    db,
    facts,
    guests,
    () => device(),
    sameScan,
    () => access.requireSupervisor('forums.assign', 'assigning a guest to a full forum'),
  );
  forums.codeSources = door.sources;
  const eventSetup = new EventService(db, meta, codes, () => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const forumSetup = new ForumSetupService(db, forums, meta);
  const jobs = new JobRunner();
  const roster = new RosterService(db, guests, jobs, requireEventInfo, () => device().operator, options.now);
  // Once a kiosk has its event it keeps it (events are never deleted), so the check is done once.
  let eventLoaded = false;
  const withEvent = <T>(body: () => T): T => {
    if (eventLoaded) return body();
    return requireEvent(db, () => {
      eventLoaded = true;
      return body();
    });
  };

  const conflicts = new ConflictStore(db, options.now);
  const engine = new SyncEngine({
    db,
    meta,
    projections: { facts, guests, checkins: door, forums },
    codes,
    conflicts,
    deviceId,
    now: options.now,
    secrets: options.secrets,
  });
  const loop = new SyncLoop(engine, Math.random, options.now);
  const backups = new BackupService({
    db,
    meta,
    dataDir: options.dataDir,
    eventId: () => readEvent(db)?.id ?? null,
    now: options.now,
  });
  const bundleExports = new BundleExportWatch(db, meta, options.now);
  const background = (work: Promise<unknown>) => {
    // The outcome shows in sync.status (state, lastError); nothing to throw to here.
    work.catch((error: unknown) => log.warn('background sync failed', { error: String(error) }));
  };

  const handlers: Handlers = {
    'sync.status': () => engine.status(),
    'sync.pair': ({ url, code }) => {
      // Refused here, not in the background, so the dialog sees it at once.
      if (engine.busy) throw new LanyardFailure('sync_busy', 'a pairing or sync is already running; try again');
      background(engine.pair(url, code).then(() => loop.trigger()));
      return engine.status();
    },
    'sync.now': () => {
      if (!engine.paired) throw new LanyardFailure('not_paired', 'this kiosk is not paired with a server');
      // Through the loop when there is one, so its backoff resets and the next round follows on time.
      if (loop.active) loop.trigger();
      else background(engine.syncOnce());
      return engine.status();
    },
    'sync.conflicts': () => conflicts.list(),
    'sync.markReviewed': ({ kind, guestId }) => conflicts.markReviewed(kind, guestId, device().operator),
    'app.status': () => ({
      version: APP_VERSION,
      dataDir: options.dataDir,
      dbError: null,
      event: readEvent(db),
      device: device(),
      pinSet: access.store.count() > 0,
    }),
    ...eventHandlers({ events: eventSetup, forumSetup, forums, guests }),
    'device.update': ({ door: doorName, operator }) => {
      db.transaction(() => {
        meta.set('door', doorName.trim());
        meta.set('operator', operator.trim());
        db.prepare(`UPDATE devices SET door = ? WHERE id = ?`).run(doorName.trim(), deviceId);
      })();
      return device();
    },
    'device.setForumDoor': ({ forumId }) => {
      if (forumId !== '' && !readEvent(db)?.forums.some((f) => f.id === forumId)) {
        throw new LanyardFailure('forum_not_found', `no forum with id ${forumId}`);
      }
      meta.set('forum_door', forumId);
      return device();
    },
    'roster.upload': ({ fileName, dataBase64 }) => ({
      jobId: roster.startUpload(fileName, Buffer.from(dataBase64, 'base64')),
    }),
    'roster.presetMapping': ({ uploadId, preset }) => ({ mapping: roster.presetMapping(uploadId, preset) }),
    'roster.import': ({ uploadId, mapping, dryRun, list, replace }) => ({
      jobId: roster.startImport(uploadId, mapping, dryRun, list, replace),
    }),
    'roster.lists': () => roster.listSummaries(),
    'roster.export': ({ format, forumId, lang }) => {
      const jobId = roster.startExport(format, forumId, lang ?? null);
      bundleExports.started(format, jobId);
      return { jobId };
    },
    'jobs.get': ({ jobId }) => bundleExports.seen(jobs.get(jobId)),
    'jobs.cancel': ({ jobId }) => jobs.cancel(jobId),
    ...badgeCodeHandlers({
      db,
      meta,
      guests,
      codes,
      short,
      sources: door.sources,
      event: requireEventInfo,
      withEvent,
    }),
    'codes.revoke': ({ guestId, reason }) =>
      withEvent(() => {
        codes.revokeCode(guestId, reason, device().operator);
        return { revoked: true as const };
      }),
    'badges.recordPrint': ({ guestId, template, reason }) =>
      withEvent(() => {
        if (guests.get(guestId) === null) throw new LanyardFailure('guest_not_found', `no guest with id ${guestId}`);
        const printed = db
          .prepare(`SELECT count(*) FROM facts WHERE type = 'badge_print' AND guest_id = ?`)
          .pluck()
          .get(guestId) as number;
        if (printed > 0 && reason.trim().length === 0) {
          throw new LanyardFailure(
            'reprint_needs_reason',
            `the badge of ${guestId} was printed ${printed}× already; give a reason to reprint`,
          );
        }
        if (printed > 0) access.requireSupervisor('badges.recordPrint', 'a reprint');
        db.transaction(() =>
          facts.append('badge_print', guestId, device().operator, {
            template,
            reason: reason.trim(),
            door: device().door,
          }),
        )();
        return { printCount: printed + 1 };
      }),
    'badges.select': ({ forumId, role, notPrinted }) => {
      const where = [`status = 'active'`];
      const params: string[] = [];
      if (forumId !== '') {
        where.push(`id IN (SELECT guest_id FROM guest_forum WHERE forum_id = ?)`);
        params.push(forumId);
      }
      if (role !== '') {
        where.push(`role = ?`);
        params.push(role);
      }
      if (notPrinted) where.push(`id NOT IN (SELECT guest_id FROM facts WHERE type = 'badge_print')`);
      const sql = `SELECT id FROM guests WHERE ${where.join(' AND ')} ORDER BY display_name, id`;
      return {
        guestIds: db
          .prepare(sql)
          .pluck()
          .all(...params) as string[],
      };
    },
    'badges.settings': () => readBadgeSettings(meta),
    'badges.setSettings': ({ settings }) => writeBadgeSettings(meta, settings),
    'keys.list': () => ({ keys: codes.listKeys() }),
    'keys.trust': ({ keyId, publicKey }) => {
      codes.trustEventKey(keyId, publicKey);
      return { keys: codes.listKeys() };
    },
    'keys.rotate': () => withEvent(() => ({ keyId: codes.rotateEventKey() })),
    'keys.setStatus': ({ keyId, status }) =>
      withEvent(() => {
        codes.setKeyStatus(keyId, status);
        return { keys: codes.listKeys() };
      }),
    'forums.list': () => ({ forums: forums.list() }),
    'forums.seats': () => ({ seats: forums.seats() }),
    'forums.assign': ({ guestId, forumId, overrideReason }) =>
      withEvent(() => forums.assign(guestId, forumId, overrideReason)),
    'forums.setPreferences': ({ guestId, forumIds }) => withEvent(() => forums.setPreferences(guestId, forumIds)),
    'forums.autoAssign': ({ dryRun }) => withEvent(() => forums.autoAssign(dryRun)),
    'forums.scan': ({ code, forumId, direction, admitAnyway }) =>
      withEvent(() => forums.scan(code, forumId, direction, admitAnyway)),
    'guests.scan': ({ code }) => withEvent(() => door.scan(code)),
    'guests.checkIn': ({ guestId }) => withEvent(() => door.checkIn(guestId)),
    'guests.search': ({ query, limit }) => ({ results: search.search(query, limit) }),
    'guests.get': ({ guestId }) => {
      const guest = guests.get(guestId);
      if (guest === null) throw new LanyardFailure('guest_not_found', `no guest with id ${guestId}`);
      return guest;
    },
    'guests.walkIn': (input) => withEvent(() => door.walkIn(input)),
    'checkins.undo': (target) => {
      if (!access.ownRecentCheckin(door.undoTarget(target), deviceId))
        access.requireSupervisor('checkins.undo', "undoing someone else's or an older check-in");
      return door.undo(target);
    },
    'checkins.recent': ({ limit }) => ({ items: door.recent(limit) }),
    'stats.get': () => door.stats(),
    ...staffHandlers(access),
    ...statsTimelineHandlers({ db, now: options.now }),
    ...lifecycleHandlers({ db, meta, guests, codes, jobs, engine, backups, deviceId, now: options.now, wipe }),
  };
  // Roster badge codes are found through an index of the roster's codes; it is kept up in slices between
  // scans, so the first scan after a big import or a package does not pay for it.
  const stopIndexer = short.startIndexer();
  return { handlers, access, sync: { engine, loop }, codes, backups, stopIndexer };
}

/**
 * A kiosk whose database failed to open still answers: `app.status` explains why (the UI shows a clear
 * screen) and every other method returns the same error. The file is never touched.
 */
function degradedHandlers(error: LanyardError, options: KioskOptions): Handlers {
  const refuse = (): never => {
    throw new LanyardFailure(error.code, error.message);
  };
  const handlers = Object.fromEntries(methodNames.map((method) => [method, refuse])) as unknown as Handlers;
  handlers['app.status'] = () => ({
    version: APP_VERSION,
    dataDir: options.dataDir,
    dbError: error,
    event: null,
    device: null,
    pinSet: false,
  });
  return handlers;
}

/** Calls that start the next event on a kiosk whose event was closed: they open a new database. */
const STARTS_AN_EVENT: ReadonlySet<string> = new Set([
  'event.loadDemo',
  'event.create',
  'handoff.setupFromFile',
  'sync.pair',
  'staff.add',
  'kiosk.setPin',
  'device.update',
]);

/**
 * A kiosk whose event was closed: nothing is written to the data directory until the next event starts
 * (it stays empty, as the organiser was promised). Until then the screens' polling (sync status, staff
 * session…) is answered by an empty kiosk in a scratch directory outside it; a call that starts an event
 * opens the real database.
 */
function unopenedHandlers(options: KioskOptions, open: () => Handlers, scratch: () => Handlers): Handlers {
  const route = (method: MethodName) => (input: unknown) =>
    ((STARTS_AN_EVENT.has(method) ? open() : scratch())[method] as (input: unknown) => unknown)(input);
  const handlers = Object.fromEntries(methodNames.map((method) => [method, route(method)])) as unknown as Handlers;
  handlers['app.status'] = () => ({
    version: APP_VERSION,
    dataDir: options.dataDir,
    dbError: null,
    event: null,
    device: null,
    pinSet: false,
  });
  return handlers;
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
    startBackground: () => {
      background = true;
      kiosk.sync?.loop.start(); // syncs once paired; the door never waits for the network
      kiosk.backups?.start();
    },
    close: () => {
      shut();
      dropScratch();
      release();
    },
  };
  let stopIndexer = () => {};
  const shut = () => {
    stopIndexer();
    stopIndexer = () => {};
    kiosk.backups?.stop();
    kiosk.sync?.loop.stop();
    kiosk.db?.close();
    kiosk.db = null;
    kiosk.sync = null;
    kiosk.codes = null;
    kiosk.backups = null;
  };
  const degrade = (error: LanyardFailure) => {
    const handlers = degradedHandlers({ code: error.code, message: error.message }, options);
    Object.assign(kiosk.handlers, handlers);
    Object.assign(kiosk.ownerHandlers, handlers);
  };
  // The transports hold kiosk.handlers and kiosk.ownerHandlers: both are filled in place, so closing the
  // event and opening the next database reach them.
  const open = (): void => {
    try {
      const db = openDatabase(databaseFile(options.dataDir));
      const opened = openHandlers(db, options, wipe);
      Object.assign(kiosk, { db, sync: opened.sync, codes: opened.codes, backups: opened.backups });
      stopIndexer = opened.stopIndexer;
      Object.assign(kiosk.handlers, gateHandlers(opened.handlers, opened.access, 'screen'));
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
    Object.assign(
      kiosk.handlers,
      unopenedHandlers(
        options,
        () => {
          reopen();
          return kiosk.handlers;
        },
        () => scratchKiosk().handlers,
      ),
    );
    Object.assign(
      kiosk.ownerHandlers,
      unopenedHandlers(
        options,
        () => {
          reopen();
          return kiosk.ownerHandlers;
        },
        () => scratchKiosk().ownerHandlers,
      ),
    );
    log.info('event closed on this kiosk', { removed: removed.length });
    return removed.length;
  };
  if (lockRefused === null) open();
  else degrade(lockRefused);
  return kiosk;
}

/**
 * The idempotency store of whatever database the kiosk has open now: closing the event and starting the
 * next one replaces the database under the same transports.
 */
export function idempotencyOf(kiosk: Kiosk, now: () => number): Pick<IdempotencyStore, 'run'> {
  let current: { db: Database; store: IdempotencyStore } | null = null;
  return {
    run: (method, key, call) => {
      if (kiosk.db === null) return call();
      if (current?.db !== kiosk.db) current = { db: kiosk.db, store: new IdempotencyStore(kiosk.db, now) };
      return current.store.run(method, key, call);
    },
  };
}
