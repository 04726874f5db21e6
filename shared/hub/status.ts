import { z } from 'zod';

/** off → starting → on → stopping → off; failed keeps the reason until the next start. */
export const hubStates = ['off', 'starting', 'on', 'stopping', 'failed'] as const;

/** A pairing code made on the hub for the next door, with the QR the door's pairing screen reads. */
export const HubPairingSchema = z.object({
  name: z.string(),
  code: z.string(),
  /** The hub's address on the venue's network: what the door types, and what the QR carries. */
  url: z.string(),
  /** `lanyard-pair:<url>#<code>` (shared/hub/lan.ts), the text the QR encodes. */
  qrText: z.string(),
  expiresAt: z.string(),
});
export type HubPairing = z.infer<typeof HubPairingSchema>;

export const HubStatusSchema = z.object({
  state: z.enum(hubStates),
  /** The port it listens on (or will: the last one used, so doors paired before find it again). */
  port: z.number().int().min(0).max(65535),
  /** The address doors use: a LAN address of this laptop; '' when off. */
  url: z.string(),
  /** The address is on the LAN (false: this laptop is on no network, only this laptop can reach it). */
  lan: z.boolean(),
  /** Every LAN address of this laptop, best first, for a supervisor to choose another. */
  addresses: z.array(z.string()),
  /** The organisers' page of the hub (its admin token is kept owner-only beside its data). */
  adminTokenFile: z.string(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** The latest pairing code made here, until it expires. */
  pairing: HubPairingSchema.nullable(),
  /** Doors paired with the hub (this laptop's own door included), not revoked. */
  doors: z.number().int().min(0),
});
export type HubStatus = z.infer<typeof HubStatusSchema>;

/**
 * What every screen learns about the hub from `app.status`, with nobody signed in (the top bar's sign that
 * this laptop listens on the LAN): on or not, the address the doors use, how many doors. Nothing more —
 * the guests' self-service screen reads `app.status` too.
 */
export const HubIndicatorSchema = z
  .object({
    on: z.boolean(),
    /** The doors' address while on ('' when off). */
    url: z.string(),
    doors: z.number().int().min(0),
  })
  .strict();
export type HubIndicator = z.infer<typeof HubIndicatorSchema>;
export const HUB_OFF: HubIndicator = { on: false, url: '', doors: 0 };
