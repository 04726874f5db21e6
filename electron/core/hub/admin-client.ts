import QRCode from 'qrcode';
import { z } from 'zod';
import { pairingPayload } from '../../../shared/hub/lan.ts';
import type { HubPairing } from '../../../shared/hub/status.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { PublishResponseSchema, syncRoutes, type EventPackage } from '../../../shared/sync/protocol.ts';

/**
 * The hub's own organiser calls, over loopback with the hub's admin token: the same routes and the same
 * token an organiser uses on the central server, so the hub is driven exactly as one is.
 */
export interface HubAddress {
  /** Where this laptop reaches its hub: http://127.0.0.1:PORT (or the one address it listens on). */
  localUrl: string;
  /** What the doors use: http://<LAN address>:PORT. */
  lanUrl: string;
  adminToken: string;
  eventId: string;
}

const PairingCodeSchema = z.object({ code: z.string(), expiresAt: z.string() });
const DevicesSchema = z.object({ devices: z.array(z.object({ revoked: z.boolean() })) });

async function adminCall<T>(hub: HubAddress, route: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${hub.localUrl}${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${hub.adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new LanyardFailure(
      'hub_not_running',
      `the hub at ${hub.localUrl} does not answer: ${(error as Error).message}`,
    );
  }
  const answer = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!response.ok) {
    throw new LanyardFailure(
      'hub_start_failed',
      `the hub refused ${route}: ${answer.error?.message ?? response.status}`,
    );
  }
  return schema.parse(answer);
}

const eventRoute = (route: string, eventId: string) => route.replace(':id', encodeURIComponent(eventId));

/** Creates or updates the kiosk's event on the hub (roster, forums, public keys); the package's revision. */
export async function publishToHub(hub: HubAddress, pkg: EventPackage): Promise<number> {
  return (await adminCall(hub, syncRoutes.publish, PublishResponseSchema, pkg)).revision;
}

/** The QR of a pairing payload as an SVG document (the CLI prints it; a browser shows it as it is). */
export function pairingQrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}

/** A one-time pairing code on the hub for a door named `name`, with the LAN address the door should use. */
export async function hubPairingCode(hub: HubAddress, name: string): Promise<HubPairing> {
  const made = await adminCall(hub, eventRoute(syncRoutes.pairingCodes, hub.eventId), PairingCodeSchema, { name });
  return {
    name,
    code: made.code,
    url: hub.lanUrl,
    qrText: pairingPayload(hub.lanUrl, made.code),
    expiresAt: made.expiresAt,
  };
}

/** Doors paired with the hub and not revoked. */
export async function hubDoorCount(hub: HubAddress): Promise<number> {
  const { devices } = await adminCall(hub, eventRoute(syncRoutes.devices, hub.eventId), DevicesSchema);
  return devices.filter((d) => !d.revoked).length;
}
