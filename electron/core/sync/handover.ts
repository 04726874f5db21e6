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
 * The key a door proves a move to a hub with: the hash of its central token — from the token while paired
 * with the central server, from the key kept since while on a hub (without it a door moving from hub A to hub
 * B stayed bound to A at the central server, which refused B's relays for it). A door that paired with a hub
 * first holds no central token: nothing to prove with (a proof keyed with a hub's token only looked like one).
 */
export function centralKeyOf(state: SyncState, secrets: SecretBox): string | null {
  if (!state.paired || state.needsReauth) return null;
  const kind = state.get('server_kind');
  if (kind === 'central') {
    const token = state.token();
    return token === null ? null : handoverKey(token);
  }
  const kept = kind === 'hub' ? state.get('handover_key') : null;
  if (!kept) return null;
  try {
    return secrets.open(kept);
  } catch {
    return null; // sealed on another machine: the move goes unproven, as for a door that never had one
  }
}

/** The proof of a move to the hub `hubId`, one count above the door's last; null without an event. */
export function handoverOnMove(state: SyncState, key: string, deviceId: string, hubId: string): Handover | null {
  const event = state.get('event');
  if (event === null) return null;
  const n = Number(state.get('handover_n') ?? '0') + 1;
  return keyedHandoverProof(key, event, deviceId, hubId, n);
}
