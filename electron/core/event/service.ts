import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { z } from 'zod';
import type { EventDetailsSchema } from '../../../shared/contract.ts';
import type { EventInfo, Forum, LocalizedText } from '../../../shared/domain.ts';
import {
  eventIdFor,
  optionalFallback,
  withFallback,
  type EventPatch,
  type EventSetup,
} from '../../../shared/event/setup.ts';
import { checkOrder, checkTimeZone, zonedTime } from '../../../shared/event/time.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import type { CodeService } from '../badges/codes/signed-codes.ts';
import { readEvent, updateEventRow, writeEvent } from './store.ts';
import { createLogger } from '../log.ts';
import type { MetaStore } from '../meta.ts';
import { readBadgeSettings, writeBadgeSettings } from './badge-defaults.ts';

const log = createLogger('event');

export type EventDetails = z.output<typeof EventDetailsSchema>;

/** What `create` adds beyond the organiser's form: the demo's fixed id, forums and roster. */
export interface CreateExtras {
  id?: string;
  forums?: Forum[];
  /** Runs inside the creating transaction, after the event and its keys exist. */
  within?: () => void;
}

/** The local wall time of a stored event time (`2026-05-29T09:00:00`), to carry it to another zone. */
function wallTime(stored: string): string {
  return stored.slice(0, 19);
}

function mergeText(
  base: LocalizedText,
  patch: { [K in keyof LocalizedText]?: string | undefined } = {},
): LocalizedText {
  return { zh: patch.zh ?? base.zh, en: patch.en ?? base.en, de: patch.de ?? base.de };
}

/**
 * The event this kiosk serves: created once (by an organiser's form, the CLI, or the demo — one path),
 * edited later. Creating makes the event's signing key in the same transaction, so the first badge code
 * can be issued at once.
 */
export class EventService {
  private readonly db: Database;
  private readonly meta: MetaStore;
  private readonly codes: CodeService;
  /** The kiosk's own zone, used when the organiser names none. */
  private readonly hostTimeZone: () => string;

  constructor(db: Database, meta: MetaStore, codes: CodeService, hostTimeZone: () => string) {
    this.db = db;
    this.meta = meta;
    this.codes = codes;
    this.hostTimeZone = hostTimeZone;
  }

  private times(startsAt: string, endsAt: string, timezone: string) {
    const zone = checkTimeZone(timezone || this.hostTimeZone());
    const start = zonedTime(startsAt, zone, 'start');
    const end = zonedTime(endsAt, zone, 'end');
    checkOrder(start, end, 'the event');
    return { timezone: zone, startsAt: start, endsAt: end, date: start.slice(0, 10) };
  }

  create(setup: EventSetup, extras: CreateExtras = {}): EventInfo {
    if (readEvent(this.db) !== null) throw new LanyardFailure('event_exists', 'this kiosk already has an event');
    const name = withFallback(setup.name, 'the event');
    const event: EventInfo = {
      id: extras.id ?? eventIdFor(name, randomBytes(3).toString('hex')),
      name,
      venue: optionalFallback(setup.venue),
      ...this.times(setup.startsAt, setup.endsAt, setup.timezone),
      forums: extras.forums ?? [],
    };
    this.db.transaction(() => {
      writeEvent(this.db, event);
      this.codes.ensureKeys(); // the event's signing key is made with the event
      const badges = readBadgeSettings(this.meta);
      writeBadgeSettings(this.meta, { ...badges, defaultTemplate: setup.badgeSize, logoDataUrl: setup.logoDataUrl });
      extras.within?.();
    })();
    log.info('event created', { eventId: event.id, forums: event.forums.length });
    return readEvent(this.db)!;
  }

  details(): EventDetails {
    const event = readEvent(this.db);
    if (event === null)
      throw new LanyardFailure('no_event', 'this kiosk has no event yet; create one or load the demo');
    const badges = readBadgeSettings(this.meta);
    return { event, badgeSize: badges.defaultTemplate, logoDataUrl: badges.logoDataUrl };
  }

  /**
   * Changes the fields given. A new zone without new times keeps the wall-clock times (the organiser
   * corrects the zone, not the hour the doors open).
   */
  update(patch: EventPatch): EventDetails {
    const { event } = this.details();
    const name = withFallback(mergeText(event.name, patch.name), 'the event');
    const venue = optionalFallback(mergeText(event.venue, patch.venue));
    const zoneChanged = patch.timezone !== undefined && patch.timezone !== '' && patch.timezone !== event.timezone;
    const carry = (given: string | undefined, stored: string) =>
      given ?? (zoneChanged && stored !== '' ? wallTime(stored) : stored);
    const times = this.times(
      carry(patch.startsAt, event.startsAt),
      carry(patch.endsAt, event.endsAt),
      patch.timezone || event.timezone,
    );
    this.db.transaction(() => {
      updateEventRow(this.db, { id: event.id, name, venue, ...times });
      if (patch.badgeSize !== undefined || patch.logoDataUrl !== undefined) {
        const badges = readBadgeSettings(this.meta);
        writeBadgeSettings(this.meta, {
          ...badges,
          defaultTemplate: patch.badgeSize ?? badges.defaultTemplate,
          logoDataUrl: patch.logoDataUrl ?? badges.logoDataUrl,
        });
      }
    })();
    log.info('event updated', { eventId: event.id });
    return this.details();
  }
}
