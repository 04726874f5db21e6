import { z } from 'zod';
import { EventInfoSchema, GuestStatusSchema, RoleSchema } from '../domain.ts';
import { cleanText, type TextKind } from '../text/clean.ts';
import { factRejectCodes, type Fact, type FactType } from './fact-schema.ts';

export type { Fact, FactType } from './fact-schema.ts';

/**
 * The sync protocol between kiosks and the central server (architecture.md §6, R5–R14), versioned.
 * Both sides parse every message with these schemas; the server's routes and the kiosk's client are
 * derived from `syncRoutes` below, so a route or a shape cannot drift between them.
 */
/** 2: the log's entries travel as `facts` (they were `events`, a word now kept for the conference). */
export const SYNC_PROTOCOL_VERSION = 2;

export const DeviceIdSchema = z.string().regex(/^[A-Za-z0-9_]{1,64}$/);

/** Largest push batch the server accepts; the kiosk sends at most `PUSH_BATCH_FACTS` (R6: ≤200 / 256 kB). */
export const MAX_PUSH_FACTS = 1000;
export const PUSH_BATCH_FACTS = 200;
export const PUSH_BATCH_BYTES = 256 * 1024;

/**
 * Largest push body the server reads. An honest batch is ≤ 200 facts and ~256 kB (one fact ≤ 64 kB can
 * overshoot it once), so 1 MB never refuses a kiosk, while a 15 MB fact is refused before it is parsed.
 */
export const PUSH_BODY_LIMIT = 1024 * 1024;

/**
 * A push: the kiosk's facts, unchanged (HLC and device wall time kept). The server parses the envelope
 * first; each fact is checked by `checkFact` (fact-schema.ts) on its own, so one bad fact is refused alone.
 */
export const PushEnvelopeSchema = z.object({
  protocol: z.literal(SYNC_PROTOCOL_VERSION),
  facts: z.array(z.unknown()).max(MAX_PUSH_FACTS),
});

/** `relay_not_trusted`: a venue hub relayed a fact of a device the central server does not trust it for (relay.ts). */
export const rejectReasons = [
  'id_reuse',
  'seq_conflict',
  'wrong_device',
  'relay_not_trusted',
  ...factRejectCodes,
] as const;
export const FactOutcomeSchema = z.object({
  id: z.string(),
  status: z.enum(['stored', 'duplicate', 'rejected']),
  /** Why a rejected fact was refused; '' otherwise. The kiosk keeps it and shows it to staff. */
  reason: z.union([z.enum(rejectReasons), z.literal('')]),
});
export type FactOutcome = z.infer<typeof FactOutcomeSchema>;

/** `{device id: highest seq up to which the server holds every fact}` (R9 anti-entropy). */
export const VersionVectorSchema = z.record(z.string(), z.number().int().min(0));
export type VersionVector = z.infer<typeof VersionVectorSchema>;

export const PushResponseSchema = z.object({
  protocol: z.literal(SYNC_PROTOCOL_VERSION),
  results: z.array(FactOutcomeSchema),
  /** This device's contiguous acked-through sequence number on the server. */
  ackedThrough: z.number().int().min(0),
  versionVector: VersionVectorSchema,
  serverTime: z.number().int(),
});
export type PushResponse = z.infer<typeof PushResponseSchema>;

/**
 * A fact as the server serves it from its log, with the time it received it. Rows stored before facts were
 * checked may not pass `checkFact`, so its payload is not trusted here: every kiosk checks each one.
 */
export type ServedFact = Omit<Fact, 'type' | 'payload'> & {
  type: FactType;
  payload: Record<string, unknown>;
  receivedAt: number;
};

/** A pulled fact after `checkFact`, with the time the server received it (the reference of the skew rule). */
export type PulledFact = Fact & { receivedAt: number };

/**
 * A kiosk asks for pages this big: a first pull of 100,000 facts is 5 round trips, and the server reads
 * and sends the next page while the kiosk applies this one (it applies one page per transaction).
 */
export const MAX_PULL_FACTS = 20_000;
/**
 * A pull page stops after this many payload bytes (and after `limit` facts): one page of honest facts
 * is far below it, and a log holding huge facts (stored before facts were bounded) is served a few at a
 * time instead of as one answer too large to build (V8's "Invalid string length").
 */
export const MAX_PULL_BYTES = 4 * 1024 * 1024;

export const PullResponseSchema = z.object({
  protocol: z.literal(SYNC_PROTOCOL_VERSION),
  /** Each one is checked by the kiosk (`checkFact`) before it is applied; one it cannot apply is parked. */
  facts: z.array(z.unknown()),
  /** Opaque; send it back unchanged. */
  cursor: z.string(),
  hasMore: z.boolean(),
  /** The cursor sent was unknown to the server (e.g. it was restored from a backup): this page starts over. */
  reset: z.boolean(),
  versionVector: VersionVectorSchema,
  /** Revision of the event's package (roster, forums, keys); a kiosk behind it fetches the package. */
  packageRevision: z.number().int().min(0),
  serverTime: z.number().int(),
});
/** A pull page as a kiosk reads it: every fact still to be checked. */
export type PulledPage = z.infer<typeof PullResponseSchema>;
/** What a server sends: facts as it stored them (a kiosk parses `facts` as unknown and checks each). */
export type PullResponse = Omit<z.infer<typeof PullResponseSchema>, 'facts'> & {
  facts: ServedFact[];
};

/**
 * A door's proven hand-over from the central server to a hub (docs/architecture.md §6). A kiosk paired
 * with the central server that pairs with a hub sends, with its pairing request, an HMAC-SHA256 over
 * `handoverMessage` (relay.ts), keyed with what the central server already stores of its token: sha256(token) in
 * hex (R20 keeps only that hash). The hub cannot compute it and learns nothing that authenticates as the
 * door at the central server (the venue LAN is plain HTTP); the central server recomputes it from its
 * stored hash. It binds the event (a proof for one event is worthless for another), the device, the hub's
 * id at the central server (another hub cannot replay it; a hub not linked yet already has its id, made
 * once and kept, and links with it later) and the kiosk's own count of hand-overs `n` (a newer proven
 * pairing wins; an older proof replayed later cannot win the door back). Pairing with the central server
 * again rolls the token, which voids every earlier proof (R20).
 */
export const HandoverSchema = z.object({
  hubId: DeviceIdSchema,
  n: z.number().int().min(1),
  proof: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Handover = z.infer<typeof HandoverSchema>;

export const PairRequestSchema = z.object({
  protocol: z.literal(SYNC_PROTOCOL_VERSION),
  code: z.string().min(1).max(64),
  /** The kiosk's own device id: it has been stamping its facts with it since it was installed. */
  deviceId: DeviceIdSchema,
  /** Sent to a hub by a kiosk paired with the central server until now. */
  handover: HandoverSchema.optional(),
});
export const PairResponseSchema = z.object({
  protocol: z.literal(SYNC_PROTOCOL_VERSION),
  eventId: z.string(),
  deviceId: DeviceIdSchema,
  name: z.string(),
  token: z.string().min(43),
  /**
   * What the server already holds of this device (its contiguous watermark): a kiosk that pushed through
   * a venue hub, or to this server before, pairs without pushing any of it again. Absent from older servers.
   */
  ackedThrough: z.number().int().min(0).optional(),
  /**
   * What answered: the central server, or a venue hub with the id a hand-over proof names. A door records it:
   * it proves a later move to a hub only while paired with the central server (or with the key it kept of
   * that pairing); a door that paired with a hub first holds no central token, so has nothing to prove.
   * Absent from older servers.
   */
  server: z.enum(['central', 'hub']).optional(),
  hubId: DeviceIdSchema.optional(),
});
export type PairResponse = z.infer<typeof PairResponseSchema>;

export const RollResponseSchema = z.object({ token: z.string().min(43) });

/** A roster text as it travels in a package: cleaned of control characters (PostgreSQL refuses NUL in jsonb). */
const PackageText = (max: number, kind: TextKind = 'line') =>
  z
    .string()
    .overwrite((s) => cleanText(s, kind))
    .max(max);

export const PackageGuestSchema = z.object({
  id: z.string().min(1).max(200),
  displayName: PackageText(500),
  familyName: PackageText(500),
  givenName: PackageText(500),
  nativeName: PackageText(500),
  latinName: PackageText(500),
  organization: PackageText(500),
  role: RoleSchema,
  email: PackageText(500),
  phone: PackageText(100),
  note: PackageText(2000, 'multiline'),
  vip: z.boolean(),
  status: GuestStatusSchema,
  walkIn: z.boolean(),
  forumPreferences: z.array(z.string()),
  codes: z.array(z.string()),
});
export type PackageGuest = z.infer<typeof PackageGuestSchema>;

/** Public keys only: private keys never leave the kiosk that made them (R15). */
export const PackageKeySchema = z.object({
  keyId: z.number().int().min(1).max(65535),
  kind: z.enum(['event', 'device']),
  publicKey: z.string().regex(/^[0-9a-f]{64}$/),
  certificate: z.string().regex(/^[0-9a-f]*$/),
  status: z.enum(['active', 'retired', 'revoked']),
});

/** What an organiser uploads (`lanyard publish`) and what a newly paired kiosk downloads. */
export const EventPackageSchema = z.object({
  event: EventInfoSchema,
  guests: z.array(PackageGuestSchema),
  keys: z.array(PackageKeySchema),
  revokedCodes: z.array(z.object({ guestId: z.string(), reason: z.string() })),
  /**
   * The event's code secrets for format 2 badge codes (docs/badge-codes.md): every paired kiosk must hold
   * them to admit another kiosk's walk-in before sync. Only paired devices download the package. Absent
   * in packages of older kiosks.
   */
  codeSecrets: z
    .array(
      z.object({
        generation: z.number().int().min(1).max(99),
        secret: z.string().regex(/^[0-9a-f]{64}$/),
        status: z.enum(['active', 'revoked', 'retired']),
      }),
    )
    .max(99)
    .optional(),
  /** The event opted in to badge codes carrying name and organisation. */
  codeDetails: z.boolean().optional(),
});
export type EventPackage = z.infer<typeof EventPackageSchema>;

export const PackageResponseSchema = z.object({ revision: z.number().int().min(1), package: EventPackageSchema });
export type PackageResponse = z.infer<typeof PackageResponseSchema>;

export const PublishResponseSchema = z.object({ eventId: z.string(), revision: z.number().int() });

export const EventStatsSchema = z.object({
  eventId: z.string(),
  guests: z.number().int(),
  checkedIn: z.number().int(),
  checkIns: z.number().int(),
  voided: z.number().int(),
  duplicates: z.number().int(),
  devices: z.number().int(),
  /** Facts in the log (check-ins, voids, walk-ins, assignments, …). */
  facts: z.number().int(),
});
export type EventStats = z.infer<typeof EventStatsSchema>;

/** Error body of every non-2xx answer. */
export const syncErrorCodes = [
  'invalid_request',
  'unsupported_protocol',
  'unauthorized',
  'forbidden',
  'not_found',
  'pairing_code_invalid',
  'pairing_code_used',
  'pairing_code_expired',
  'device_id_taken',
  'wrong_event',
  'idempotency_key_reused',
  'payload_too_large',
  'rate_limited',
  'internal',
] as const;
export const SyncErrorSchema = z.object({ error: z.object({ code: z.enum(syncErrorCodes), message: z.string() }) });
export type SyncErrorCode = (typeof syncErrorCodes)[number];

/** Routes, relative to the server URL. `:id` is the event id, `:device` a device id. */
export const syncRoutes = {
  pair: '/v1/pair',
  push: '/v1/sync/push',
  pull: '/v1/sync/pull',
  package: '/v1/sync/package',
  roll: '/v1/device/roll',
  publish: '/v1/admin/events',
  stats: '/v1/admin/events/:id/stats',
  pairingCodes: '/v1/admin/events/:id/pairing-codes',
  devices: '/v1/admin/events/:id/devices',
  revokeDevice: '/v1/admin/devices/:device/revoke',
} as const;
