import { createHash, createHmac } from 'node:crypto';
import type { Handover } from '../../../shared/sync/protocol.ts';
import { handoverMessage } from '../../../shared/sync/relay.ts';
import type { SecretBox } from '../secrets.ts';
import type { SyncClient } from './client.ts';
import type { SyncState } from './state.ts';

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

/**
 * Moving to a hub: the proof, keyed with the hash of the central token — from the token while paired with
 * the central server, from the key kept since while on a hub (without it a door moving from hub A to hub B
 * stayed bound to A at the central server, which refused B's relays for it). Never paired with the central
 * server (or its key lost), there is nothing to prove with.
 */
export function handoverOnMove(
  state: SyncState,
  secrets: SecretBox,
  deviceId: string,
  hubId: string,
): { handover: Handover; key: string } | null {
  const event = state.get('event');
  if (!state.paired || state.needsReauth || event === null) return null;
  let key: string | null = null;
  if ((state.get('server_hub') ?? '') === '') {
    const token = state.token();
    key = token === null ? null : handoverKey(token);
  } else if (state.get('handover_key')) {
    try {
      key = secrets.open(state.get('handover_key')!);
    } catch {
      key = null;
    }
  }
  if (key === null) return null;
  const n = Number(state.get('handover_n') ?? '0') + 1;
  return { key, handover: keyedHandoverProof(key, event, deviceId, hubId, n) };
}
