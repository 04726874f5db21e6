import { z } from 'zod';
import {
  AutoAssignOutcomeSchema,
  CodeCheckSchema,
  CheckinSchema,
  DeviceSchema,
  EventInfoSchema,
  ForumScanResultSchema,
  ForumSchema,
  ForumSeatsSchema,
  ForumStatusSchema,
  GuestSchema,
  RecentCheckinSchema,
  RoleSchema,
  ScanResultSchema,
  StatsSchema,
} from './domain.ts';
import { errorCodes } from './result.ts';
import { cleanText } from './text/clean.ts';
import { BackupSettingsSchema, BackupStatusSchema, CloseCheckSchema } from './backup.ts';
import { ConflictListSchema, SyncStatusSchema } from './sync/status.ts';
import { TimelineQuerySchema, TimelineSchema } from './projection/timeline.ts';
import { exportLanguages } from './roster/export/labels.ts';
import {
  BadgeSizeSchema,
  EventPatchSchema,
  EventSetupSchema,
  ForumIdSchema,
  ForumSetupSchema,
  LogoDataUrlSchema,
} from './event/setup.ts';
import { ColumnMappingSchema, exportFormats, JobStatusSchema, RosterListsSchema } from './roster/contract-types.ts';
import { PinSchema, StaffMemberSchema, StaffNameSchema, StaffRoleSchema, StaffSessionSchema } from './staff/schemas.ts';

/**
 * The one contract (Actual Budget's handler map): every core method with its input and output schema.
 * The IPC binding, the preload API, the HTTP routes and the renderer client are all derived from it.
 */

const Empty = z.object({}).strict();
export const BadgeSettingsSchema = z.object({
  defaultTemplate: BadgeSizeSchema,
  byRole: z.partialRecord(RoleSchema, BadgeSizeSchema),
  printOnCheckIn: z.boolean(),
  /** The event's logo for the badge header ('' = none). */
  logoDataUrl: LogoDataUrlSchema,
});
/** The event as an organiser set it up: its record plus the badge defaults chosen with it. */
export const EventDetailsSchema = z.object({
  event: EventInfoSchema,
  badgeSize: BadgeSizeSchema,
  logoDataUrl: LogoDataUrlSchema,
});
const KeyInfoSchema = z.object({
  keyId: z.number().int(),
  kind: z.string(),
  status: z.string(),
  hasPrivateKey: z.boolean(),
  publicKey: z.string(),
});
const Text = (max: number) => z.string().max(max);
const CodePolicySchema = z.object({
  /** The event opts in to badge codes that carry name and organisation (PII in the QR; R15). */
  carryDetails: z.boolean(),
  rosterDigits: z.number().int(),
  walkInDigits: z.number().int(),
  /** Digits of this event's first guest's code in the long form; null without guests. */
  detailedDigits: z.number().int().nullable(),
  /** Keystroke time at 10 ms per key (a slow keyboard-wedge scanner), Enter included. */
  rosterScanMs: z.number(),
  detailedScanMs: z.number().nullable(),
  secrets: z.array(
    z.object({ generation: z.number().int(), status: z.enum(['active', 'revoked', 'retired']), usable: z.boolean() }),
  ),
});
/**
 * Text a person typed that enters the domain (names, doors, reasons): cleaned of control characters on
 * the way in (shared/text/clean.ts), so it can be stored, synced and exported (a NUL in a name once stopped a push).
 * Ids and codes stay `Text`: a code is normalised at lookup and an id is only looked up.
 */
const HumanText = (max: number) =>
  z
    .string()
    .overwrite((s) => cleanText(s))
    .max(max);
/** Seals a set-up file's secrets (the event's code secrets, a signing key): required, 8+ characters. */
const PassphraseSchema = z.string().min(8).max(200);

export const contract = {
  'app.status': {
    input: Empty,
    output: z.object({
      version: z.string(),
      dataDir: z.string(),
      dbError: z.object({ code: z.enum(errorCodes), message: z.string() }).nullable(),
      event: EventInfoSchema.nullable(),
      device: DeviceSchema.nullable(),
      pinSet: z.boolean(),
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
  /** Starts reading a roster file (CSV or XLSX, ≤ 32 MB); the job's result is a RosterPreview. */
  'roster.upload': {
    input: z.object({ fileName: Text(255).min(1), dataBase64: z.string().max(60_000_000) }).strict(),
    output: z.object({ jobId: z.string() }),
  },
  'roster.presetMapping': {
    input: z.object({ uploadId: Text(100), preset: Text(50) }).strict(),
    output: z.object({ mapping: ColumnMappingSchema }),
  },
  /**
   * Starts an import (or a dry run) of an uploaded file into a guest list; the job's result is an
   * ImportSummary. `list` defaults to the name the preview offered; `replace`: the file is the list's
   * complete file, so its members missing from it leave the list (shared/roster/lists.ts).
   */
  'roster.import': {
    input: z
      .object({
        uploadId: Text(100),
        mapping: ColumnMappingSchema,
        dryRun: z.boolean(),
        list: Text(100).optional(),
        replace: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ jobId: z.string() }),
  },
  /** The guest lists with their counts and last import. */
  'roster.lists': { input: Empty, output: RosterListsSchema },
  /** Starts an attendance export; the job's result is an ExportFile. forumId '' = every guest. */
  'roster.export': {
    // lang: headers, sheets and forum names in the staff's language; absent, the English file with forum ids.
    input: z
      .object({ format: z.enum(exportFormats), forumId: Text(100), lang: z.enum(exportLanguages).optional() })
      .strict(),
    output: z.object({ jobId: z.string() }),
  },
  'jobs.get': { input: z.object({ jobId: Text(100) }).strict(), output: JobStatusSchema },
  'jobs.cancel': { input: z.object({ jobId: Text(100) }).strict(), output: JobStatusSchema },
  /** A guest's signed badge code (digits only); walk-ins are signed with this kiosk's device key. */
  'codes.issue': {
    input: z.object({ guestId: Text(100), deviceKey: z.boolean() }).strict(),
    output: z.object({ code: z.string(), keyId: z.number().int() }),
  },
  'codes.verify': { input: z.object({ code: Text(4096) }).strict(), output: CodeCheckSchema },
  /** The event's badge-code policy (short codes, or the long form with name and organisation) and its cost. */
  'codes.policy': { input: Empty, output: CodePolicySchema },
  'codes.setPolicy': { input: z.object({ carryDetails: z.boolean() }).strict(), output: CodePolicySchema },
  /** A new generation of the event's code secret (after a kiosk is lost); new badges use it. */
  'codes.rotateSecret': { input: Empty, output: CodePolicySchema },
  /** revoked: a lost kiosk held it (roster badges still admit, unsynced walk-ins do not); retired: nothing admits. */
  'codes.setSecretStatus': {
    input: z.object({ generation: z.number().int().min(1).max(99), status: z.enum(['revoked', 'retired']) }).strict(),
    output: CodePolicySchema,
  },
  'codes.revoke': {
    input: z.object({ guestId: Text(100), reason: HumanText(500).min(1) }).strict(),
    output: z.object({ revoked: z.literal(true) }),
  },
  /** Records a badge print (an event in the log). A second print of a guest's badge needs a reason. */
  'badges.recordPrint': {
    input: z.object({ guestId: Text(100), template: Text(40), reason: HumanText(500) }).strict(),
    output: z.object({ printCount: z.number().int() }),
  },
  /** Guests whose badges a batch prints: active, optionally one forum, one role, not yet printed. */
  'badges.select': {
    input: z
      .object({ forumId: Text(100), role: z.union([z.literal(''), RoleSchema]), notPrinted: z.boolean() })
      .strict(),
    output: z.object({ guestIds: z.array(z.string()) }),
  },
  /** Which label size to print: an event default, overridden per role; and whether to print on check-in. */
  'badges.settings': { input: Empty, output: BadgeSettingsSchema },
  'badges.setSettings': { input: z.object({ settings: BadgeSettingsSchema }).strict(), output: BadgeSettingsSchema },
  'keys.list': { input: Empty, output: z.object({ keys: z.array(KeyInfoSchema) }) },
  'keys.trust': {
    input: z
      .object({ keyId: z.number().int().min(1).max(32767), publicKey: z.string().regex(/^[0-9a-f]{64}$/) })
      .strict(),
    output: z.object({ keys: z.array(KeyInfoSchema) }),
  },
  'keys.rotate': { input: Empty, output: z.object({ keyId: z.number().int() }) },
  'keys.setStatus': {
    input: z.object({ keyId: z.number().int().min(1).max(65535), status: z.enum(['retired', 'revoked']) }).strict(),
    output: z.object({ keys: z.array(KeyInfoSchema) }),
  },
  'forums.list': { input: Empty, output: z.object({ forums: z.array(ForumStatusSchema) }) },
  'forums.seats': { input: Empty, output: z.object({ seats: z.array(ForumSeatsSchema) }) },
  'forums.update': {
    input: z
      .object({ forum: ForumSchema.extend({ room: HumanText(80), capacity: z.number().int().min(0).max(100_000) }) })
      .strict(),
    output: ForumSchema,
  },
  /** A new sub-forum at the end of the list (or a removed one with this id, back again). */
  'forums.add': { input: z.object({ forum: ForumSetupSchema }).strict(), output: ForumSchema },
  /** The forums in a new order: every current forum id exactly once. */
  'forums.reorder': {
    input: z.object({ forumIds: z.array(ForumIdSchema).max(200) }).strict(),
    output: z.object({ forums: z.array(ForumSchema) }),
  },
  /**
   * Removes a forum. With guests assigned it is refused (forum_in_use, with the count) unless moveTo
   * names another forum: they are reassigned there in the same transaction (one forum_assign event each).
   */
  'forums.remove': {
    input: z.object({ forumId: ForumIdSchema, moveTo: z.union([z.literal(''), ForumIdSchema]) }).strict(),
    output: z.object({ removed: z.string(), moved: z.number().int() }),
  },
  'forums.assign': {
    // overrideReason '' = no override: a full forum is then refused with forum_full.
    input: z.object({ guestId: Text(100), forumId: Text(100), overrideReason: HumanText(500) }).strict(),
    output: z.object({ guest: GuestSchema, replaced: z.array(z.string()), overridden: z.boolean() }),
  },
  'forums.setPreferences': {
    input: z.object({ guestId: Text(100), forumIds: z.array(Text(100)).max(10) }).strict(),
    output: GuestSchema,
  },
  'forums.autoAssign': { input: z.object({ dryRun: z.boolean() }).strict(), output: AutoAssignOutcomeSchema },
  'forums.scan': {
    input: z
      .object({ code: Text(4096), forumId: Text(100), direction: z.enum(['in', 'out']), admitAnyway: z.boolean() })
      .strict(),
    output: ForumScanResultSchema,
  },
  'sync.status': { input: Empty, output: SyncStatusSchema },
  /** Starts pairing in the background; `sync.status` turns to online, or carries the error. */
  'sync.pair': {
    input: z.object({ url: z.url({ protocol: /^https?$/ }).max(500), code: Text(64) }).strict(),
    output: SyncStatusSchema,
  },
  /** Asks for a sync round now (the loop also runs on its own). */
  'sync.now': { input: Empty, output: SyncStatusSchema },
  'sync.conflicts': { input: Empty, output: ConflictListSchema },
  'sync.markReviewed': {
    input: z.object({ kind: z.enum(['duplicate', 'forum']), guestId: Text(200) }).strict(),
    output: ConflictListSchema,
  },
  /**
   * Hand-off without a server: the event set-up file for another kiosk, as JSON text. Its secrets
   * (the event's code secrets, a signing key made for the receiving kiosk) are sealed with the passphrase.
   */
  'handoff.exportSetup': {
    input: z.object({ passphrase: PassphraseSchema }).strict(),
    output: z.object({
      fileName: z.string(),
      text: z.string(),
      sealed: z.boolean(),
      deviceKeyId: z.number().int().nullable(),
      guests: z.number().int(),
    }),
  },
  /** Makes this empty kiosk a kiosk of the file's event (welcome screen → Set up from a file). */
  'handoff.setupFromFile': {
    input: z.object({ text: z.string().max(200_000_000), passphrase: Text(200) }).strict(),
    output: z.object({ event: EventInfoSchema, guests: z.number().int(), canSign: z.boolean() }),
  },
  'backups.status': { input: Empty, output: BackupStatusSchema },
  'backups.configure': { input: BackupSettingsSchema, output: BackupStatusSchema },
  /** A backup now, as a job (its result is the BackupInfo). */
  'backups.now': { input: Empty, output: z.object({ jobId: z.string() }) },
  /** What closing the event would lose (not on the server, not exported). */
  'event.closeCheck': { input: Empty, output: CloseCheckSchema },
  /**
   * Closes the event on this kiosk: deletes the database, its WAL, the backups it made, keys and the sync
   * token. Refused with unsynced_events unless everything is on the server or in a bundle exported after
   * the last event (force: the CLI's --force).
   */
  'event.close': {
    input: z.object({ force: z.boolean() }).strict(),
    output: z.object({ closed: z.literal(true), removedFiles: z.number().int() }),
  },
  'kiosk.setPin': {
    input: z.object({ currentPin: Text(32), newPin: z.string().regex(/^\d{4,12}$/) }).strict(),
    output: z.object({ pinSet: z.literal(true) }),
  },
  'kiosk.checkPin': {
    input: z.object({ pin: Text(32) }).strict(),
    output: z.object({ unlocked: z.literal(true) }),
  },
  /** Who is signed in, a supervisor's approval in force, PIN lockout, the undo window. */
  'staff.session': { input: Empty, output: StaffSessionSchema },
  /** Names and roles for the sign-in dialog (never a PIN or its hash). */
  'staff.list': { input: Empty, output: z.object({ staff: z.array(StaffMemberSchema) }) },
  'staff.signIn': { input: z.object({ name: Text(80), pin: Text(32) }).strict(), output: StaffSessionSchema },
  'staff.signOut': { input: Empty, output: StaffSessionSchema },
  /** A supervisor's PIN typed at the prompt: supervisor actions are open for a short while. */
  'staff.elevate': { input: z.object({ pin: Text(32) }).strict(), output: StaffSessionSchema },
  'staff.endElevation': { input: Empty, output: StaffSessionSchema },
  'staff.add': {
    input: z.object({ name: StaffNameSchema, role: StaffRoleSchema, pin: PinSchema }).strict(),
    output: StaffMemberSchema,
  },
  'staff.remove': { input: z.object({ staffId: Text(100) }).strict(), output: z.object({ removed: z.literal(true) }) },
  'staff.setPin': { input: z.object({ staffId: Text(100), pin: PinSchema }).strict(), output: StaffMemberSchema },
  'staff.setUndoWindow': {
    input: z.object({ minutes: z.number().int().min(0).max(1440) }).strict(),
    output: StaffSessionSchema,
  },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

export const methodNames = Object.keys(contract) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(contract, name);
}

/** What the core implements: one synchronous handler per method (better-sqlite3 is synchronous). */
export type Handlers = { [M in MethodName]: (input: ParsedInput<M>) => MethodOutput<M> };
