import type { Database } from 'better-sqlite3';
import type { Handlers } from '../../shared/contract.ts';
import { LanyardFailure } from '../../shared/result.ts';
import { openBackgroundServices, startDatabaseHelpers, type BackgroundServices } from './background-services.ts';
import { badgeCodeHandlers } from './badges/codes/handlers.ts';
import { ShortCodeService } from './badges/codes/short-codes.ts';
import { CodeService, eventTag } from './badges/codes/signed-codes.ts';
import { badgeHandlers } from './badges/handlers.ts';
import { BadgePrints } from './badges/prints.ts';
import { checkinHandlers } from './checkin/handlers.ts';
import { SAME_SCAN_WINDOW_MS, SameScanRule } from './checkin/same-scan.ts';
import { CheckinService } from './checkin/service.ts';
import { BundleExportWatch, lifecycleHandlers } from './closing/handlers.ts';
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
import { GuestSearch } from './guests/search.ts';
import { GuestStore } from './guests/store.ts';
import { JobRunner } from './jobs.ts';
import type { KioskOptions } from './kiosk-options.ts';
import { MetaStore } from './meta.ts';
import { rosterHandlers } from './roster/handlers.ts';
import { RosterService } from './roster/service.ts';
import { GuestFinder } from './self-service/guest-finder.ts';
import { selfServiceHandlers } from './self-service/handlers.ts';
import { LookupGuard } from './self-service/lookup-guard.ts';
import { SelfService } from './self-service/service.ts';
import { StaffAccess } from './staff/access.ts';
import { staffHandlers } from './staff/handlers.ts';
import { StaffStore } from './staff/store.ts';
import { statsTimelineHandlers } from './stats/timeline.ts';
import { syncHandlers } from './sync/handlers.ts';

/** An open database's kiosk: its handler map (event guard in front; the staff gate goes on top in kiosk.ts). */
export interface ComposedKiosk extends Omit<BackgroundServices, 'conflicts'> {
  handlers: Handlers;
  access: StaffAccess;
  codes: CodeService;
  selfService: SelfService;
  /**
   * Stops the roster code indexer and the checkpoint worker, and a staging worker warm for an import;
   * returns once none touches the database.
   */
  stopHelpers: () => void;
}

/**
 * The composition root: every service of an open database, and the one handler map merged from each
 * domain's part (a new domain adds its `…Handlers(…)` line to `doorHandlers`), with the event guard in front.
 * `wipe` closes the event on this kiosk (kiosk.ts: the data directory's files go, the next event opens anew).
 */
export function composeKiosk(
  db: Database,
  options: KioskOptions,
  wipe: (backupFiles: string[]) => number,
): ComposedKiosk {
  const { now } = options;
  const meta = new MetaStore(db);
  const access = new StaffAccess(new StaffStore(db, now), meta, now);
  const context = openDeviceContext(db, meta, access);
  const { deviceId, device, doorContext } = context;
  const operator = () => doorContext().operator;

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
  // A big import's new guests get their badge codes indexed once it is done, not between its chunks.
  const short = new ShortCodeService(db, meta, options.secrets, eventTagHex, now, (id) => guests.isPending(id));
  const codes = new CodeService(db, currentEventId, now, short, options.secrets);
  codes.sealStoredKeys(); // keys an older Lanyard stored plain
  const sameScan = new SameScanRule(db, deviceId, now, options.sameScanWindowMs ?? SAME_SCAN_WINDOW_MS);
  const checkins = new CheckinService(db, facts, guests, doorContext, codes, short, sameScan);
  const forums = new ForumService(db, facts, guests, doorContext, sameScan, () =>
    access.requireSupervisor('forums.assign', 'assigning a guest to a full forum'),
  );
  forums.codeSources = checkins.sources;
  const eventSetup = new EventService(db, meta, codes, () => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const forumSetup = new ForumSetupService(db, forums, meta);
  const jobs = new JobRunner();
  const roster = new RosterService(db, guests, jobs, requireEventInfo, operator, now);
  const background = openBackgroundServices({
    db,
    meta,
    options,
    deviceId,
    projections: { facts, guests, checkins, forums },
    codes,
    doorName: () => doorContext().door,
  });
  const { sync, conflicts, backups, hub } = background;
  const { engine, loop } = sync;
  const bundleExports = new BundleExportWatch(db, meta, now);
  const sources = checkins.sources;

  const doorHandlers = {
    ...deviceHandlers({
      db,
      meta,
      access,
      context,
      dataDir: options.dataDir,
      hub: () => hub.indicator(),
      lowDiskMb: options.lowDiskMb,
    }),
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
    ...lifecycleHandlers({
      db,
      meta,
      guests,
      codes,
      jobs,
      engine,
      backups,
      deviceId,
      now,
      wipe,
      dataDir: options.dataDir,
    }),
  };
  // Self-service checks guests in and prints their badges through the door's own handlers.
  const finder = new GuestFinder(db);
  const guard = new LookupGuard(meta, now);
  const selfService = new SelfService({ meta, access, finder, guard, door: doorHandlers, now });
  const handlers = { ...doorHandlers, ...selfServiceHandlers(selfService) } satisfies Handlers;
  const stopDatabaseHelpers = startDatabaseHelpers(db, short);
  return {
    handlers: guardEvent(handlers, () => readEvent(db) !== null),
    access,
    sync,
    codes,
    backups,
    hub,
    selfService,
    stopHelpers: () => {
      stopDatabaseHelpers();
      void roster.close();
    },
  };
}
