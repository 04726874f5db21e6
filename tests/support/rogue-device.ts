import { randomUUID } from 'node:crypto';
import { SYNC_PROTOCOL_VERSION } from '../../shared/sync/protocol.ts';
import { pairingCode, type ServerAddress } from './sync-server.ts';

/**
 * A paired device that speaks the protocol by hand (issue 13's attacker): it holds a real device token
 * and pushes whatever bodies a test gives it, well-formed or not.
 */
export interface RogueDevice {
  deviceId: string;
  token: string;
  /** The next device_seq it has not used. */
  seq: number;
  push(facts: unknown[], rawBody?: string): Promise<{ status: number; body: RogueAnswer }>;
  pull(cursor?: string): Promise<{ status: number; body: RogueAnswer }>;
  /** A well-formed event of this device with `overrides` on top (type check_in unless overridden). */
  event(overrides?: Record<string, unknown>): Record<string, unknown>;
}

export interface RogueAnswer {
  results?: Array<{ id: string; status: string; reason: string }>;
  ackedThrough?: number;
  facts?: unknown[];
  hasMore?: boolean;
  cursor?: string;
  error?: { code: string; message: string };
}

export async function pairRogue(server: ServerAddress, eventId: string, deviceId: string): Promise<RogueDevice> {
  const code = await pairingCode(server, eventId, `Rogue ${deviceId}`);
  const paired = await fetch(`${server.url}/v1/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ protocol: SYNC_PROTOCOL_VERSION, code, deviceId }),
  });
  if (!paired.ok) throw new Error(`rogue pairing failed: ${paired.status} ${await paired.text()}`);
  const { token } = (await paired.json()) as { token: string };
  const answer = async (response: Response) => {
    const text = await response.text();
    let body: RogueAnswer;
    try {
      body = JSON.parse(text) as RogueAnswer;
    } catch {
      body = { error: { code: 'not_json', message: text.slice(0, 200) } };
    }
    return { status: response.status, body };
  };
  const rogue: RogueDevice = {
    deviceId,
    token,
    seq: 1,
    async push(facts, rawBody) {
      const response = await fetch(`${server.url}/v1/sync/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: rawBody ?? JSON.stringify({ protocol: SYNC_PROTOCOL_VERSION, facts }),
      });
      return answer(response);
    },
    async pull(cursor = '') {
      const response = await fetch(`${server.url}/v1/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=5000`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return answer(response);
    },
    event(overrides = {}) {
      const now = Date.now();
      const seq = rogue.seq++;
      return {
        id: randomUUID(),
        deviceId,
        deviceSeq: seq,
        type: 'check_in',
        guestId: 'rogue-guest',
        hlc: `${String(now).padStart(15, '0')}-${String(seq % 100_000).padStart(5, '0')}-${deviceId}`,
        wallMs: now,
        actor: 'rogue',
        payload: { door: 'Rogue', method: 'scan', code: '' },
        ...overrides,
      };
    },
  };
  return rogue;
}
