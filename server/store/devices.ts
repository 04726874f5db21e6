import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Handover } from '../../shared/sync/protocol.ts';
import type { DeviceContext } from './fact-log.ts';
import type { Sql } from './sql.ts';

/**
 * Device enrolment (R20): one-time, expiring pairing codes; per-device ≥256-bit tokens of which the
 * server keeps only a SHA-256 hash; revocation and rolling. Codes are digits so a scanner or a person
 * can type them anywhere.
 */
export const PAIRING_CODE_TTL_MS = 15 * 60_000;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function newDeviceToken(): string {
  return `lyd_${randomBytes(32).toString('base64url')}`;
}

function newPairingCode(): string {
  let code = '';
  for (let i = 0; i < 12; i++) code += String(randomInt(10));
  return code;
}

/** A one-time code for a door (`pairing_codes`) or, the same way, a venue hub's link (`relay_hub_codes`). */
export async function createPairingCode(
  sql: Sql,
  eventId: string,
  name: string,
  ttlMs: number,
  nowMs: number,
  table: 'pairing_codes' | 'relay_hub_codes' = 'pairing_codes',
): Promise<{ code: string; expiresMs: number }> {
  const code = newPairingCode();
  const expiresMs = nowMs + ttlMs;
  await sql.query(`INSERT INTO ${table} (code_hash, event_id, name, expires_ms, used_ms) VALUES ($1, $2, $3, $4, 0)`, [
    hashSecret(code),
    eventId,
    name,
    expiresMs,
  ]);
  return { code, expiresMs };
}

export type RedeemOutcome =
  | { kind: 'paired'; eventId: string; deviceId: string; name: string; token: string; ackedThrough: number }
  | { kind: 'invalid' }
  | { kind: 'used' }
  | { kind: 'expired' }
  | { kind: 'device_taken' };

/**
 * Spends a pairing code (once, before it expires) on a device id; re-pairing a known device rolls its token.
 * On a venue hub, `handover` is the door's proof that it moves here from the central server: kept with the
 * pairing, and the door announced to the central server again with it (server/relay/loop.ts).
 */
export async function redeemPairingCode(
  sql: Sql,
  code: string,
  deviceId: string,
  nowMs: number,
  handover: Handover | null = null,
): Promise<RedeemOutcome> {
  return sql.transaction(async (tx) => {
    const spent = await tx.query<{ event_id: string; name: string }>(
      `UPDATE pairing_codes SET used_ms = $2 WHERE code_hash = $1 AND used_ms = 0 AND expires_ms > $2
       RETURNING event_id, name`,
      [hashSecret(code.replace(/\D/g, '')), nowMs],
    );
    if (spent.length === 0) {
      // Which of the three, so the door can say "ask for a new code" rather than "check the digits".
      const known = await tx.query<{ used_ms: number; expires_ms: number }>(
        `SELECT used_ms, expires_ms FROM pairing_codes WHERE code_hash = $1`,
        [hashSecret(code.replace(/\D/g, ''))],
      );
      const row = known[0];
      if (row === undefined) return { kind: 'invalid' } as const;
      return Number(row.used_ms) > 0 ? ({ kind: 'used' } as const) : ({ kind: 'expired' } as const);
    }
    const { event_id: eventId, name } = spent[0]!;
    const known = await tx.query<{ event_id: string }>(`SELECT event_id FROM devices WHERE id = $1`, [deviceId]);
    if (known.length > 0 && known[0]!.event_id !== eventId) return { kind: 'device_taken' } as const;
    const token = newDeviceToken();
    await tx.query(
      `INSERT INTO devices (id, event_id, name, token_hash, revoked, paired_ms, last_sync_ms, last_contact_ms)
       VALUES ($1, $2, $3, $4, false, $5, 0, $5)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash, revoked = false,
         paired_ms = excluded.paired_ms, last_contact_ms = excluded.last_contact_ms`,
      [deviceId, eventId, name, hashSecret(token), nowMs],
    );
    await tx.query(`INSERT INTO device_history (device_id, kind, name, at_ms) VALUES ($1, 'paired', $2, $3)`, [
      deviceId,
      name,
      nowMs,
    ]);
    if (handover !== null) {
      await tx.query(
        `INSERT INTO relay_handovers (device_id, hub_id, n, proof, stored_ms) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (device_id) DO UPDATE SET hub_id = excluded.hub_id, n = excluded.n, proof = excluded.proof,
           stored_ms = excluded.stored_ms`,
        [deviceId, handover.hubId, handover.n, handover.proof, nowMs],
      );
      await tx.query(`DELETE FROM relay_announced WHERE device_id = $1`, [deviceId]);
    }
    // What the server already holds of this device (pushed before, or relayed by a venue hub): the kiosk
    // starts pushing after it instead of sending it all again to be told "duplicate".
    const progress = await tx.query<{ contiguous_seq: number }>(
      `SELECT contiguous_seq FROM device_progress WHERE device_id = $1 AND conference_id = $2`,
      [deviceId, eventId],
    );
    const ackedThrough = Number(progress[0]?.contiguous_seq ?? 0);
    return { kind: 'paired', eventId, deviceId, name, token, ackedThrough } as const;
  });
}

/**
 * How far "last contact" may lag: a burst of requests (a push of fifty batches, a first pull) writes it
 * once a second instead of once per request — each such write is a commit, and a flush to disk, of its own.
 */
const CONTACT_STEP_MS = 1000;

/** The device a token names, if it is live; the request counts as the device's contact. */
export async function authenticateDevice(sql: Sql, token: string, nowMs: number): Promise<DeviceContext | null> {
  const rows = await sql.query<{ id: string; event_id: string }>(
    `WITH found AS (SELECT id, event_id FROM devices WHERE token_hash = $1 AND NOT revoked),
     touched AS (
       UPDATE devices SET last_contact_ms = $2
       WHERE id = (SELECT id FROM found) AND last_contact_ms <= $2::bigint - $3::bigint
     )
     SELECT id, event_id FROM found`,
    [hashSecret(token), nowMs, CONTACT_STEP_MS],
    'authenticate_device',
  );
  return rows.length === 0 ? null : { deviceId: rows[0]!.id, eventId: rows[0]!.event_id };
}

/** A new token for the device; the old one stops working at once. */
export async function rollDeviceToken(sql: Sql, deviceId: string): Promise<string> {
  const token = newDeviceToken();
  await sql.query(`UPDATE devices SET token_hash = $2 WHERE id = $1`, [deviceId, hashSecret(token)]);
  return token;
}

export async function revokeDevice(sql: Sql, deviceId: string, nowMs: number): Promise<boolean> {
  return sql.transaction(async (tx) => {
    const rows = await tx.query<{ name: string; revoked: boolean }>(
      `SELECT name, revoked FROM devices WHERE id = $1 FOR UPDATE`,
      [deviceId],
    );
    const device = rows[0];
    if (device === undefined) return false;
    if (!device.revoked) {
      await tx.query(`UPDATE devices SET revoked = true WHERE id = $1`, [deviceId]);
      await tx.query(`INSERT INTO device_history (device_id, kind, name, at_ms) VALUES ($1, 'revoked', $2, $3)`, [
        deviceId,
        device.name,
        nowMs,
      ]);
    }
    return true;
  });
}

/** Pairing codes of the event not used and not expired: who is expected to pair (the code is not kept). */
export async function openPairingCodes(
  sql: Sql,
  eventId: string,
  nowMs: number,
): Promise<Array<{ name: string; expiresMs: number }>> {
  const rows = await sql.query<{ name: string; expires_ms: number }>(
    `SELECT name, expires_ms FROM pairing_codes WHERE event_id = $1 AND used_ms = 0 AND expires_ms > $2
     ORDER BY expires_ms`,
    [eventId, nowMs],
  );
  return rows.map((r) => ({ name: r.name, expiresMs: Number(r.expires_ms) }));
}

export interface DeviceInfo {
  id: string;
  name: string;
  revoked: boolean;
  pairedMs: number;
  /** The last push that reached the server. */
  lastSyncMs: number;
  /** The last authenticated request of any kind (push, pull, package): the door is alive. */
  lastContactMs: number;
  /** Wall time of the latest event the device sent (0: none yet). */
  lastEventMs: number;
  ackedThrough: number;
  /** Pairings and revocations, oldest first. */
  history: Array<{ kind: 'paired' | 'revoked'; name: string; atMs: number }>;
}

export async function listDevices(sql: Sql, eventId: string): Promise<DeviceInfo[]> {
  const rows = await sql.query<{
    id: string;
    name: string;
    revoked: boolean;
    paired_ms: number;
    last_sync_ms: number;
    last_contact_ms: number;
    last_event_ms: number | null;
    contiguous_seq: number | null;
  }>(
    `SELECT d.id, d.name, d.revoked, d.paired_ms, d.last_sync_ms, d.last_contact_ms, p.contiguous_seq,
       (SELECT l.wall_ms FROM fact_log l WHERE l.device_id = d.id ORDER BY l.device_seq DESC LIMIT 1) AS last_event_ms
     FROM devices d LEFT JOIN device_progress p ON p.device_id = d.id
     WHERE d.event_id = $1 ORDER BY d.name, d.id`,
    [eventId],
  );
  const history = await sql.query<{ device_id: string; kind: 'paired' | 'revoked'; name: string; at_ms: number }>(
    `SELECT h.device_id, h.kind, h.name, h.at_ms FROM device_history h JOIN devices d ON d.id = h.device_id
     WHERE d.event_id = $1 ORDER BY h.id`,
    [eventId],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    revoked: r.revoked,
    pairedMs: Number(r.paired_ms),
    lastSyncMs: Number(r.last_sync_ms),
    lastContactMs: Number(r.last_contact_ms),
    lastEventMs: Number(r.last_event_ms ?? 0),
    ackedThrough: Number(r.contiguous_seq ?? 0),
    history: history
      .filter((h) => h.device_id === r.id)
      .map((h) => ({ kind: h.kind, name: h.name, atMs: Number(h.at_ms) })),
  }));
}
