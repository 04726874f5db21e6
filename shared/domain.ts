import { z } from 'zod';
import { locales } from './i18n/index.ts';

/** Domain shapes shared by the core, the hosts, the CLI and the renderer. */

export const roles = ['speaker', 'partner', 'guest', 'press', 'staff', 'vip'] as const;
export const RoleSchema = z.enum(roles);
export type Role = z.infer<typeof RoleSchema>;

export const guestStatuses = ['active', 'cancelled', 'blocked', 'removed'] as const;
export const GuestStatusSchema = z.enum(guestStatuses);

export const LocalizedTextSchema = z.object({ zh: z.string(), en: z.string(), de: z.string() });
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

export const ForumSchema = z.object({
  id: z.string(),
  name: LocalizedTextSchema,
  room: z.string(),
  capacity: z.number().int().nonnegative(),
  startsAt: z.string(),
  endsAt: z.string(),
  colour: z.string(),
});
export type Forum = z.infer<typeof ForumSchema>;

export const EventInfoSchema = z.object({
  id: z.string(),
  name: LocalizedTextSchema,
  /** The local date of the start, in the event's zone (YYYY-MM-DD; '' when no start is set). */
  date: z.string(),
  /** ISO 8601 with the event zone's offset ('' = not set; packages from before these fields have none). */
  startsAt: z.string().default(''),
  endsAt: z.string().default(''),
  venue: LocalizedTextSchema,
  timezone: z.string(),
  forums: z.array(ForumSchema),
});
export type EventInfo = z.infer<typeof EventInfoSchema>;

export const CheckinSchema = z.object({
  id: z.string(),
  guestId: z.string(),
  deviceId: z.string(),
  door: z.string(),
  at: z.string(),
  hlc: z.string(),
  method: z.enum(['scan', 'search', 'walk_in']),
  voided: z.boolean(),
});
export type Checkin = z.infer<typeof CheckinSchema>;

/**
 * The parts a guest's name is kept in, beside the display name: family and given name, the name in its own
 * script (王小明) and its Latin form (Wang Xiaoming). Rows of the roster, the search and the exports have them.
 */
export interface NameParts {
  familyName: string;
  givenName: string;
  nativeName: string;
  latinName: string;
}

export const GuestSchema = z.object({
  id: z.string(),
  name: z.string(),
  familyName: z.string(),
  givenName: z.string(),
  nativeName: z.string(),
  latinName: z.string(),
  organization: z.string(),
  role: RoleSchema,
  email: z.string(),
  codes: z.array(z.string()),
  note: z.string(),
  vip: z.boolean(),
  status: GuestStatusSchema,
  walkIn: z.boolean(),
  checkedIn: z.boolean(),
  checkedInAt: z.string().nullable(),
  checkedInDoor: z.string().nullable(),
  checkinCount: z.number().int().nonnegative(),
  /** The sub-forum the guest is assigned to (the register's winner), or null. */
  forumId: z.string().nullable(),
  forumPreferences: z.array(z.string()),
});
export type Guest = z.infer<typeof GuestSchema>;

export const scanStatuses = [
  'checked_in',
  'already_checked_in',
  'unknown_code',
  'invalid_code',
  'cancelled',
  'blocked',
] as const;
export const ScanStatusSchema = z.enum(scanStatuses);
export type ScanStatus = z.infer<typeof ScanStatusSchema>;

/** The answer at the door. `attention` is the VIP/attention note staff must see, if any. */
export const ScanResultSchema = z.object({
  status: ScanStatusSchema,
  code: z.string(),
  guest: GuestSchema.nullable(),
  checkin: CheckinSchema.nullable(),
  firstCheckin: CheckinSchema.nullable(),
  attention: z.string().nullable(),
  /** Why a signed badge code was refused (invalid_code), e.g. bad_signature; '' otherwise. */
  reason: z.string(),
  /** The same code read again at this kiosk within 2 s: the first scan's answer, nothing written. */
  repeat: z.boolean().optional(),
});
export type ScanResult = z.infer<typeof ScanResultSchema>;

export const StatsSchema = z.object({
  guests: z.number().int(),
  checkedIn: z.number().int(),
  walkIns: z.number().int(),
  cancelled: z.number().int(),
  checkinEvents: z.number().int(),
  voided: z.number().int(),
});
export type Stats = z.infer<typeof StatsSchema>;

export const RecentCheckinSchema = z.object({ checkin: CheckinSchema, guest: GuestSchema });
export type RecentCheckin = z.infer<typeof RecentCheckinSchema>;

/** The door and staff names of a kiosk nobody has named yet; the screen shows them translated. */
export const DEFAULT_DOOR = 'Door 1';
export const DEFAULT_OPERATOR = 'staff';

/** `forumDoor` is the forum whose room this kiosk guards ('' = the venue entrance). */
export const DeviceSchema = z.object({
  id: z.string(),
  door: z.string(),
  operator: z.string(),
  forumDoor: z.string(),
  /** The language staff last chose on this kiosk's screen (the CLI's exports default to it); null until then. */
  language: z.enum(locales).nullable(),
});
export type Device = z.infer<typeof DeviceSchema>;

export const ForumStatusSchema = ForumSchema.extend({
  assigned: z.number().int(),
  arrived: z.number().int(),
  inside: z.number().int(),
});
export type ForumStatus = z.infer<typeof ForumStatusSchema>;

/** The door screen's live seats: one small row per forum, read from counters. */
export const ForumSeatsSchema = z.object({
  forumId: z.string(),
  capacity: z.number().int(),
  assigned: z.number().int(),
  inside: z.number().int(),
});
export type ForumSeats = z.infer<typeof ForumSeatsSchema>;

export const forumScanStatuses = [
  'entered',
  'exited',
  'assigned_elsewhere',
  'already_inside',
  'room_full',
  'not_inside',
  'unknown_code',
  'cancelled',
] as const;
export const ForumScanResultSchema = z.object({
  status: z.enum(forumScanStatuses),
  code: z.string(),
  forumId: z.string(),
  guest: GuestSchema.nullable(),
  /** Where the guest is assigned, when that is not this room. */
  assignedForumId: z.string().nullable(),
  admittedAnyway: z.boolean(),
  inside: z.number().int(),
  capacity: z.number().int(),
  /** The attention note (VIP, speaker…) staff must see at the room door too, as at the entrance. */
  attention: z.string().nullable(),
  /** The guest has no live check-in at the venue entrance (came in some other way): flagged to staff. */
  notArrived: z.boolean(),
  /** The same code read again at this kiosk within 2 s: the first scan's answer, nothing written. */
  repeat: z.boolean().optional(),
});
export type ForumScanResult = z.infer<typeof ForumScanResultSchema>;

export const AutoAssignOutcomeSchema = z.object({
  applied: z.boolean(),
  considered: z.number().int(),
  placed: z.number().int(),
  byRank: z.array(z.number().int()),
  withoutPreference: z.number().int(),
  unplaced: z.array(z.object({ id: z.string(), name: z.string() })),
  perForum: z.array(z.object({ forumId: z.string(), added: z.number().int() })),
});
export type AutoAssignOutcome = z.infer<typeof AutoAssignOutcomeSchema>;

export const codeCheckReasons = [
  'ok',
  'malformed',
  'wrong_event',
  'unknown_key',
  'retired_key',
  'revoked_key',
  'bad_certificate',
  'bad_signature',
  'revoked_code',
  'not_yet_valid',
  'expired',
] as const;
/** What a kiosk concludes about a Lanyard badge code (`lanyard verify`). */
export const CodeCheckSchema = z.object({
  valid: z.boolean(),
  reason: z.enum(codeCheckReasons),
  detail: z.string(),
  keyId: z.number().int().nullable(),
  keyKind: z.enum(['event', 'device']).nullable(),
  guestId: z.string().nullable(),
  name: z.string().nullable(),
  organization: z.string().nullable(),
  forum: z.string().nullable(),
  notBefore: z.string().nullable(),
  notAfter: z.string().nullable(),
});
export type CodeCheck = z.infer<typeof CodeCheckSchema>;

/** A CodeCheck's details when there are none to tell (a malformed code, a code of another system). */
export const NO_CODE_DETAILS = {
  keyId: null,
  keyKind: null,
  guestId: null,
  name: null,
  organization: null,
  forum: null,
  notBefore: null,
  notAfter: null,
} as const satisfies Omit<CodeCheck, 'valid' | 'reason' | 'detail'>;
