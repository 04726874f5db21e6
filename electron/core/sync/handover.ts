import { createHash, createHmac } from 'node:crypto';
import type { Handover } from '../../../shared/sync/protocol.ts';
import { handoverMessage } from '../../../shared/sync/relay.ts';
import type { SyncClient } from './client.ts';

/**
 * A kiosk paired with the central server that pairs with a venue hub proves the move (shared/sync/protocol.ts
 * HandoverSchema), so the central server lets the hub relay for it. Keyed with sha256(token), the only
 * thing the central server keeps of the token (R20): the token itself never leaves the kiosk, and the hub,
 * on a plain-HTTP LAN, gets nothing it could present to the central server as this door.
 */
export function handoverProof(
  centralToken: string,
  eventId: string,
  deviceId: string,
  hubId: string,
  n: number,
): Handover {
  return keyedHandoverProof(handoverKey(centralToken), eventId, deviceId, hubId, n);
}

/** The hand-over key of a central token: its sha256, as the central server keeps it (R20). */
export function handoverKey(centralToken: string): string {
  return createHash('sha256').update(centralToken).digest('hex');
}

/** The proof from the key itself: a door on hub A keeps the key (sealed) to prove its move to hub B. */
export function keyedHandoverProof(key: string, eventId: string, deviceId: string, hubId: string, n: number): Handover {
  const proof = createHmac('sha256', key)
    .update(handoverMessage(eventId, deviceId, hubId, n))
    .digest('hex');
  return { hubId, n, proof };
}

/** The server's hub id, or null: a central server (404), an older one, or none reachable (pairing says why). */
export async function hubIdOfServer(client: SyncClient): Promise<string | null> {
  try {
    return (await client.hubIdentity()).body.hubId;
  } catch {
    return null;
  }
}
