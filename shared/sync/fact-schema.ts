import { z } from 'zod';
import { GuestStatusSchema, RoleSchema } from '../domain.ts';
import { hasControlCharacters, type TextKind } from '../text/clean.ts';
import { jsonBytesAtMost, nestedDeeperThan, utf8Bytes } from './json-walks.ts';

/**
 * One schema per fact type (R5, R10–R13): what a kiosk may write, what the server stores and
 * what a kiosk applies after a pull. Every side runs `checkFact`; a fact that fails is refused on its
 * own with a stable code (`FactRejectCode`) and never stops the facts around it.
 *
 * The order of the checks matters: nesting depth first (never recursing past the limit, so a payload
 * nested 100,000 deep cannot overflow the stack of anything after it — canonical JSON, JSON.stringify,
 * zod), then the size of the whole fact, then the shape, then the clock.
 */

/**
 * Largest fact, as UTF-8 JSON. The largest honest fact is a walk-in carrying its guest record (well
 * under 4 KB even with long names in four scripts), so 64 KB is ample headroom while bounding what one
 * fact costs everyone: a push batch of 200 stays a few MB at worst, a pull page cannot be blown up by one
 * row, and a 15 MB "note" is refused at the door instead of being served to every kiosk.
 */
export const MAX_FACT_BYTES = 64 * 1024;
/** Deepest nesting of objects and arrays in a fact; the deepest honest one is fact.payload.guest.codes (4). */
export const MAX_FACT_DEPTH = 8;
/**
 * R10/R12's skew rule: a fact's HLC may run at most this far ahead of the receiver's clock (the server's
 * at push, the received time the server stamped at pull). A clock further ahead would drag every receiver's
 * HLC with it; a kiosk's honest drift is minutes, and staff are warned beyond 60 s.
 */
export const MAX_HLC_AHEAD_MS = 24 * 3_600_000;
/**
 * How far behind the receiver an HLC may be: a kiosk may sync a log it kept offline for weeks, but a
 * timestamp more than a year old is a broken clock (a flat CMOS battery), not a late upload.
 */
export const MAX_HLC_BEHIND_MS = 366 * 24 * 3_600_000;

/**
 * Stable error codes: they keep the `event_` prefix from before the log's entries were called facts, since
 * kiosks store them with what they refused or parked and staff see them translated.
 */
export const factRejectCodes = ['event_too_deep', 'event_too_large', 'event_invalid', 'event_clock_skew'] as const;
export type FactRejectCode = (typeof factRejectCodes)[number];

/** Text of a fact: bounded, and without control characters (they are cleaned before a fact is made). */
const text = (max: number, kind: TextKind = 'line') =>
  z
    .string()
    .max(max)
    .refine((s) => !hasControlCharacters(s, kind), { message: 'contains control characters' });
const id = (max = 200) => text(max).min(1);

/** A device's id, and an HLC `<15-digit ms>-<5-digit counter>-<device>` (shared with fact-quick-check.ts). */
export const DEVICE_ID = /^[A-Za-z0-9_]{1,64}$/;
export const HLC = /^(\d{15})-(\d{5})-([A-Za-z0-9_]{1,64})$/;

const CheckInPayload = z.object({
  door: text(200).default(''),
  method: z.enum(['scan', 'search', 'walk_in']).default('scan'),
  code: text(4096).default(''),
});
const CheckInVoidPayload = z.object({ voids: id(100), door: text(200).default('') });
const WalkInGuest = z.object({
  displayName: text(500).default(''),
  familyName: text(500).default(''),
  givenName: text(500).default(''),
  nativeName: text(500).default(''),
  latinName: text(500).default(''),
  organization: text(500).default(''),
  role: RoleSchema.default('guest'),
  email: text(500).default(''),
  phone: text(100).default(''),
  note: text(2000, 'multiline').default(''),
  vip: z.boolean().default(false),
  status: GuestStatusSchema.default('active'),
  walkIn: z.boolean().default(true),
  forumPreferences: z.array(id(100)).max(20).default([]),
  source: z.enum(['demo', 'import', 'walk_in']).default('walk_in'),
  codes: z.array(id(200)).max(20).default([]),
});
export type WalkInGuest = z.infer<typeof WalkInGuest>;
const WalkInPayload = z.object({ guest: WalkInGuest });
const ForumAssignPayload = z.object({
  forumId: text(100),
  replaces: z.array(id(100)).max(100).default([]),
  overrideReason: text(500).default(''),
});
const ForumEntryPayload = z.object({
  forumId: text(100),
  direction: z.enum(['in', 'out']).default('in'),
  admittedAnyway: z.boolean().default(false),
  /** Why staff admitted anyway (a full room, a guest assigned elsewhere): the override's audit trail. */
  overrides: z
    .array(z.enum(['room_full', 'assigned_elsewhere']))
    .max(2)
    .default([]),
});
const BadgePrintPayload = z.object({
  template: text(40).default(''),
  reason: text(500).default(''),
  door: text(200).default(''),
});
const NotePayload = z.object({ text: text(2000, 'multiline').default('') });
const GuestEditPayload = z.object({
  changes: z
    .record(text(64), z.union([text(2000, 'multiline'), z.boolean(), z.number()]))
    .refine((r) => Object.keys(r).length <= 50, { message: 'too many changes' })
    .default({}),
});

const common = {
  id: z.uuid(),
  deviceId: z.string().regex(DEVICE_ID),
  deviceSeq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  guestId: id(200),
  hlc: z.string().regex(HLC),
  wallMs: z.number().int().min(0).max(999_999_999_999_999),
  actor: text(200),
};

/** A well-formed fact of any type; `payload` is typed by `type`. */
export const FactSchema = z
  .discriminatedUnion('type', [
    z.object({ ...common, type: z.literal('check_in'), payload: CheckInPayload }),
    z.object({ ...common, type: z.literal('check_in_void'), payload: CheckInVoidPayload }),
    z.object({ ...common, type: z.literal('walk_in'), payload: WalkInPayload }),
    z.object({ ...common, type: z.literal('forum_assign'), payload: ForumAssignPayload }),
    z.object({ ...common, type: z.literal('forum_entry'), payload: ForumEntryPayload }),
    z.object({ ...common, type: z.literal('badge_print'), payload: BadgePrintPayload }),
    z.object({ ...common, type: z.literal('note'), payload: NotePayload }),
    z.object({ ...common, type: z.literal('guest_edit'), payload: GuestEditPayload }),
  ])
  .refine(
    (e) => {
      // Runs even when the hlc's own check failed (zod reports every issue): that one is already reported.
      const match = HLC.exec(e.hlc);
      return match === null || match[3] === e.deviceId;
    },
    { message: 'hlc: its node is not the fact’s device' },
  );
/** Each type's payload schema: what FactSchema checks under `payload` (checkOwnFact runs them alone). */
const payloadSchemas = {
  check_in: CheckInPayload,
  check_in_void: CheckInVoidPayload,
  walk_in: WalkInPayload,
  forum_assign: ForumAssignPayload,
  forum_entry: ForumEntryPayload,
  badge_print: BadgePrintPayload,
  note: NotePayload,
  guest_edit: GuestEditPayload,
} as const;
const ownGuestId = common.guestId;
const ownActor = common.actor;

/** A fact of any type, as every side reads it: the discriminated union, `payload` typed by `type`. */
export type Fact = z.infer<typeof FactSchema>;
export type FactType = Fact['type'];

/** The columns a stored fact has on both sides (the kiosk's SQLite, the server's PostgreSQL), as selected. */
export interface StoredFactColumns {
  device_id: string;
  device_seq: number;
  type: FactType;
  guest_id: string;
  hlc: string;
  wall_ms: number;
  actor: string;
}
export type FactOf<T extends FactType> = Extract<Fact, { type: T }>;
/** What a writer gives for a fact's payload: fields with a default may be left out. */
export type FactPayloadInput<T extends FactType> = Extract<z.input<typeof FactSchema>, { type: T }>['payload'];

export type FactCheck =
  | { ok: true; fact: Fact }
  | { ok: false; code: FactRejectCode; message: string; id: string; deviceId: string; deviceSeq: number };

/**
 * Checks one fact from outside (a push, a pull, or the kiosk's own fact before it is written).
 * `receiverMs` is the receiver's clock for the skew rule; null skips it (the kiosk's own facts: a door
 * never stops because of its clock, R10).
 */
export function checkFact(raw: unknown, receiverMs: number | null): FactCheck {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const refuse = (code: FactRejectCode, message: string): FactCheck => ({
    ok: false,
    code,
    message,
    id: typeof r['id'] === 'string' ? r['id'].slice(0, 100) : '',
    deviceId: typeof r['deviceId'] === 'string' ? r['deviceId'].slice(0, 64) : '',
    deviceSeq: Number.isSafeInteger(r['deviceSeq']) ? (r['deviceSeq'] as number) : 0,
  });
  if (nestedDeeperThan(raw, MAX_FACT_DEPTH)) return refuse('event_too_deep', `nested deeper than ${MAX_FACT_DEPTH}`);
  // A bound first: an honest fact is far below the limit, so it is not written out to be measured.
  if (jsonBytesAtMost(raw) > MAX_FACT_BYTES) {
    const bytes = utf8Bytes(JSON.stringify(raw) ?? '');
    if (bytes > MAX_FACT_BYTES) return refuse('event_too_large', `${bytes} bytes; at most ${MAX_FACT_BYTES}`);
  }
  const parsed = FactSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return refuse('event_invalid', `${where}${issue?.message ?? 'invalid'}`);
  }
  const fact = parsed.data;
  if (receiverMs !== null) {
    const hlcMs = Number(HLC.exec(fact.hlc)![1]);
    if (hlcMs > receiverMs + MAX_HLC_AHEAD_MS)
      return refuse('event_clock_skew', `hlc ${fact.hlc} is more than 24 h ahead of the receiver's clock`);
    if (hlcMs < receiverMs - MAX_HLC_BEHIND_MS)
      return refuse('event_clock_skew', `hlc ${fact.hlc} is more than a year behind the receiver's clock`);
  }
  return { ok: true, fact };
}

/** What FactLog.append makes a fact of: the frame is its own (see checkOwnFact), the rest its caller's. */
export interface OwnFact {
  id: string;
  deviceId: string;
  deviceSeq: number;
  type: FactType;
  guestId: string;
  hlc: string;
  wallMs: number;
  actor: string;
  payload: unknown;
}

/**
 * The kiosk's own fact before it is written: the answer `checkFact(fact, null)` gives (same codes, same
 * defaults filled in), at a fraction of its cost on the door's hot path. The frame is the log's own making
 * (a random UUID, this device, its next sequence number, an HLC of this device's clock, the wall time), so
 * it gets cheap checks by hand; what callers gave (guest, actor, payload) goes through the same zod schemas.
 * tests/unit/fact-schema.test.ts holds both to the same answers.
 */
export function checkOwnFact(fact: OwnFact): FactCheck {
  const refuse = (code: FactRejectCode, message: string): FactCheck => ({
    ok: false,
    code,
    message,
    id: fact.id,
    deviceId: fact.deviceId,
    deviceSeq: fact.deviceSeq,
  });
  if (nestedDeeperThan(fact, MAX_FACT_DEPTH)) return refuse('event_too_deep', `nested deeper than ${MAX_FACT_DEPTH}`);
  if (jsonBytesAtMost(fact) > MAX_FACT_BYTES) {
    const bytes = utf8Bytes(JSON.stringify(fact) ?? '');
    if (bytes > MAX_FACT_BYTES) return refuse('event_too_large', `${bytes} bytes; at most ${MAX_FACT_BYTES}`);
  }
  const hlc = HLC.exec(fact.hlc);
  if (
    !DEVICE_ID.test(fact.deviceId) ||
    !Number.isSafeInteger(fact.deviceSeq) ||
    fact.deviceSeq < 1 ||
    hlc === null ||
    hlc[3] !== fact.deviceId ||
    !Number.isSafeInteger(fact.wallMs) ||
    fact.wallMs < 0
  )
    // Not a caller's mistake: this device's id or clock is broken. The whole schema says exactly what.
    return checkFact(fact, null);
  const schema = payloadSchemas[fact.type] as z.ZodType | undefined;
  if (schema === undefined) return checkFact(fact, null);
  for (const [field, check] of [
    ['guestId', ownGuestId.safeParse(fact.guestId)],
    ['actor', ownActor.safeParse(fact.actor)],
  ] as const) {
    if (!check.success) return refuse('event_invalid', `${field}: ${check.error.issues[0]?.message ?? 'invalid'}`);
  }
  const payload = schema.safeParse(fact.payload);
  if (!payload.success) {
    const issue = payload.error.issues[0];
    return refuse('event_invalid', `${['payload', ...(issue?.path ?? [])].join('.')}: ${issue?.message ?? 'invalid'}`);
  }
  return { ok: true, fact: { ...fact, payload: payload.data } as Fact };
}
