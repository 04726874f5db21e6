import { DiskSpaceSchema } from '../disk-space.ts';
import { z } from 'zod';
import {
  CheckinSchema,
  DeviceSchema,
  EventInfoSchema,
  GuestSchema,
  RecentCheckinSchema,
  RoleSchema,
  ScanResultSchema,
  StatsSchema,
} from '../domain.ts';
import { errorCodes } from '../result.ts';
import { locales } from '../i18n/index.ts';
import { TimelineQuerySchema, TimelineSchema } from '../projection/timeline.ts';
import { HubIndicatorSchema } from '../hub/status.ts';
import { BadgeSizeSchema, EventPatchSchema, EventSetupSchema, LogoDataUrlSchema } from '../event/setup.ts';
import { Empty, HumanText, Text, type MethodSpecs } from './fields.ts';

/** The event as an organiser set it up: its record plus the badge defaults chosen with it. */
export const EventDetailsSchema = z.object({
  event: EventInfoSchema,
  badgeSize: BadgeSizeSchema,
  logoDataUrl: LogoDataUrlSchema,
});

/** The door: app status, the event record, this device, guests, check-ins and the counts the door shows. */
export const doorMethods = {
  'app.status': {
    input: Empty,
    output: z.object({
      version: z.string(),
      dataDir: z.string(),
      dbError: z.object({ code: z.enum(errorCodes), message: z.string() }).nullable(),
      event: EventInfoSchema.nullable(),
      device: DeviceSchema.nullable(),
      pinSet: z.boolean(),
      /** The venue hub as the top bar shows it, without a sign-in (the full status is `hub.status`). */
      hub: HubIndicatorSchema,
      /** Free space for the kiosk's data (null: unknown); the top bar warns when it is low. */
      disk: DiskSpaceSchema.nullable(),
    }),
  },
  'event.loadDemo': { input: Empty, output: EventInfoSchema },
  /** Creates this kiosk's event (refused with event_exists when it has one) and its signing key. */
  'event.create': {
    input: EventSetupSchema,
    output: z.object({ eventId: z.string(), event: EventInfoSchema }),
  },
  'event.show': { input: Empty, output: EventDetailsSchema },
  /** Changes the fields given; the event id and its keys never change. */
  'event.update': { input: EventPatchSchema, output: EventDetailsSchema },
  'device.update': {
    input: z.object({ door: HumanText(80).trim().min(1), operator: HumanText(80).trim().min(1) }).strict(),
    output: DeviceSchema,
  },
  /** Turns this kiosk into a forum room's door (forumId), or back into the venue entrance (''). */
  'device.setForumDoor': { input: z.object({ forumId: Text(100) }).strict(), output: DeviceSchema },
  /** The screen's language, kept with the kiosk: `lanyard export` writes in it unless given --lang. */
  'device.setLanguage': { input: z.object({ language: z.enum(locales) }).strict(), output: DeviceSchema },
  'guests.scan': {
    // A scanner may type anything: length-capped, never trusted, never thrown on.
    input: z.object({ code: Text(4096) }).strict(),
    output: ScanResultSchema,
  },
  'guests.checkIn': { input: z.object({ guestId: Text(100) }).strict(), output: ScanResultSchema },
  'guests.search': {
    input: z.object({ query: Text(200), limit: z.number().int().min(1).max(100) }).strict(),
    output: z.object({ results: z.array(GuestSchema) }),
  },
  'guests.get': { input: z.object({ guestId: Text(100) }).strict(), output: GuestSchema },
  'guests.walkIn': {
    input: z
      .object({
        name: HumanText(200).trim().min(1),
        organization: HumanText(200),
        email: z.union([z.literal(''), z.email().max(200)]),
        role: RoleSchema,
      })
      .strict(),
    output: ScanResultSchema,
  },
  'checkins.undo': {
    input: z.union([z.object({ checkinId: Text(100) }).strict(), z.object({ guestId: Text(100) }).strict()]),
    output: z.object({ voided: CheckinSchema, guest: GuestSchema }),
  },
  'checkins.recent': {
    input: z.object({ limit: z.number().int().min(1).max(200) }).strict(),
    output: z.object({ items: z.array(RecentCheckinSchema) }),
  },
  'stats.get': { input: Empty, output: StatsSchema },
  /** The supervisor view's live pictures: arrivals per bucket by door, scans per minute per desk, forum fill. */
  'stats.timeline': { input: TimelineQuerySchema.strict(), output: TimelineSchema },
} as const satisfies MethodSpecs;
