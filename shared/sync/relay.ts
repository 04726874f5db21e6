import { z } from 'zod';
import {
  DeviceIdSchema,
  FactOutcomeSchema,
  HandoverSchema,
  PushEnvelopeSchema,
  SYNC_PROTOCOL_VERSION,
  VersionVectorSchema,
} from './protocol.ts';

/**
 * The relay between a venue hub and the central server (docs/architecture.md §6, the venue hub). A hub is
 * a sync server on the venue's LAN whose kiosks pair with it as with the central server; while it can
 * reach the central server it forwards every fact its own kiosks sent and brings back everything else
 * the event holds, each fact unchanged (device id, sequence, HLC), exactly once (R5, R6, R8, R9).
 *
 * The central server trusts a hub only for the devices paired through it: the hub announces each device
 * it paired, and the central server binds it to that hub unless it already knows the device directly or
 * through another hub — or the hub brings the door's proven hand-over (HandoverSchema in protocol.ts). A fact relayed for a device not bound to the hub is refused alone
 * (`relay_not_trusted`) and recorded; the rest of the batch goes through.
 */

/** Identity of a hub, chosen by the hub when it first links and kept in its credentials file. */
export const HubIdSchema = DeviceIdSchema;

export const HubLinkRequestSchema = z.object({
  protocol: z.literal(SYNC_PROTOCOL_VERSION),
  code: z.string().min(1).max(64),
  hubId: HubIdSchema,
  /** The event the hub serves: a code of another event is refused before it is spent. */
  eventId: z.string().min(1).max(200).optional(),
});

export const HubLinkResponseSchema = z.object({
  protocol: z.literal(SYNC_PROTOCOL_VERSION),
  eventId: z.string(),
  hubId: HubIdSchema,
  name: z.string(),
  token: z.string().min(43),
});
export type HubLinkResponse = z.infer<typeof HubLinkResponseSchema>;

/** Domain separation: this HMAC key (the stored token hash) signs nothing else. */
export const HANDOVER_DOMAIN = 'lanyard-handover-v1';

/** The text a hand-over proof is computed over (one field per line: no field can run into another). */
export function handoverMessage(eventId: string, deviceId: string, hubId: string, n: number): string {
  return [HANDOVER_DOMAIN, eventId, deviceId, hubId, String(n)].join('\n');
}

/** A hub's identity, asked for by a kiosk before it pairs (`GET /v1/relay/hub`; a central server: 404). */
export const HubIdentitySchema = z.object({ protocol: z.literal(SYNC_PROTOCOL_VERSION), hubId: HubIdSchema });

/** The devices a hub paired, announced so the central server may bind them to it. */
export const HubAnnounceRequestSchema = z.object({
  protocol: z.literal(SYNC_PROTOCOL_VERSION),
  devices: z
    .array(
      z.object({
        deviceId: DeviceIdSchema,
        name: z.string().max(100),
        /** The door's proof that it moved from the central server to this hub (HandoverSchema). */
        handover: HandoverSchema.omit({ hubId: true }).optional(),
      }),
    )
    .min(1)
    .max(500),
});

/** Why a device is not bound to the announcing hub. */
export const bindingRefusals = ['paired_directly', 'bound_to_other_hub', 'handover_invalid'] as const;
export type BindingRefusal = (typeof bindingRefusals)[number];

export const HubAnnounceResponseSchema = z.object({
  protocol: z.literal(SYNC_PROTOCOL_VERSION),
  devices: z.array(
    z.object({
      deviceId: DeviceIdSchema,
      bound: z.boolean(),
      reason: z.union([z.enum(bindingRefusals), z.literal('')]),
    }),
  ),
});
export type HubAnnounceResponse = z.infer<typeof HubAnnounceResponseSchema>;

/** A relay push: facts of the hub's devices, unchanged, several devices in one batch; a kiosk's envelope. */
export const RelayPushEnvelopeSchema = PushEnvelopeSchema;

export const RelayPushResponseSchema = z.object({
  protocol: z.literal(SYNC_PROTOCOL_VERSION),
  /** One per fact, in the order sent: stored, duplicate (held already), or rejected with its reason. */
  results: z.array(FactOutcomeSchema),
  /** Per device of the batch the central server trusts this hub for: its contiguous watermark there. */
  ackedThrough: z.record(z.string(), z.number().int().min(0)),
  versionVector: VersionVectorSchema,
  serverTime: z.number().int(),
});
export type RelayPushResponse = z.infer<typeof RelayPushResponseSchema>;

/** How the hub's relay is doing, as its operator sees it (`GET /v1/admin/relay` on the hub). */
export const RelayStatusSchema = z.object({
  /** off: not a hub; unlinked: no link yet; refused: the central server refused the hub (link again). */
  state: z.enum(['off', 'unlinked', 'idle', 'relaying', 'online', 'offline', 'refused']),
  centralUrl: z.string(),
  hubId: z.string(),
  eventId: z.string(),
  lastOkAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Facts of the hub's doors the central server has not answered for yet. */
  pending: z.number().int().min(0),
  /** The hub's doors as the central server answered: bound to this hub, or why not. */
  devices: z.array(z.object({ deviceId: z.string(), bound: z.boolean(), reason: z.string() })),
});
export type RelayStatus = z.infer<typeof RelayStatusSchema>;

/** Routes, relative to the central server's URL. `:id` is an event id, `:hub` a hub id. */
export const relayRoutes = {
  link: '/v1/relay/link',
  /** On a hub: its id at the central server, for a door's hand-over proof (no token). */
  identity: '/v1/relay/hub',
  announce: '/v1/relay/devices',
  push: '/v1/relay/push',
  pull: '/v1/relay/pull',
  package: '/v1/relay/package',
  hubCodes: '/v1/admin/events/:id/hub-codes',
  hubs: '/v1/admin/events/:id/hubs',
  revokeHub: '/v1/admin/hubs/:hub/revoke',
  /** On a hub: its relay's status (admin token). */
  status: '/v1/admin/relay',
} as const;

/** The text a hub's link QR carries: the central server's URL and the code. */
export function hubLinkQrText(serverUrl: string, code: string): string {
  return `lanyard-hub:${serverUrl}#${code}`;
}
