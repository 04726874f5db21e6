import { createHash, randomBytes, randomInt } from 'node:crypto';
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

export async function createPairingCode(
  sql: Sql,
  eventId: string,
  name: string,
  ttlMs: number,
  nowMs: number,
): Promise<{ code: string; expiresMs: number }> {
  const code = newPairingCode();
  const expiresMs = nowMs + ttlMs;
  await sql.query(
    `INSERT INTO pairing_codes (code_hash, event_id, name, expires_ms, used_ms) VALUES ($1, $2, $3, $4, 0)`,
    [hashSecret(code), eventId, name, expiresMs],
  );
  return { code, expiresMs };
}

export type RedeemOutcome =
  | { kind: 'paired'; eventId: string; deviceId: string; name: string; token: string }
  | { kind: 'invalid' }
  | { kind: 'device_taken' };

/** Spends a pairing code (once, before it expires) on a device id; re-pairing a known device rolls its token. */
export async function redeemPairingCode(
  sql: Sql,
  code: string,
  deviceId: string,
  nowMs: number,
): Promise<RedeemOutcome> {
  return sql.transaction(async (tx) => {
    const spent = await tx.query<{ event_id: string; name: string }>(
      `UPDATE pairing_codes SET used_ms = $2 WHERE code_hash = $1 AND used_ms = 0 AND expires_ms > $2
       RETURNING event_id, name`,
      [hashSecret(code.replace(/\D/g, '')), nowMs],
    );
    if (spent.length === 0) return { kind: 'invalid' } as const;
    const { event_id: eventId, name } = spent[0]!;
    const known = await tx.query<{ event_id: string }>(`SELECT event_id FROM devices WHERE id = $1`, [deviceId]);
    if (known.length > 0 && known[0]!.event_id !== eventId) return { kind: 'device_taken' } as const;
    const token = newDeviceToken();
    await tx.query(
      `INSERT INTO devices (id, event_id, name, token_hash, revoked, paired_ms, last_sync_ms)
       VALUES ($1, $2, $3, $4, false, $5, 0)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash, revoked = false,
         paired_ms = excluded.paired_ms`,
      [deviceId, eventId, name, hashSecret(token), nowMs],
    );
    return { kind: 'paired', eventId, deviceId, name, token } as const;
  });
}

export async function authenticateDevice(sql: Sql, token: string): Promise<DeviceContext | null> {
  const rows = await sql.query<{ id: string; event_id: string }>(
    `SELECT id, event_id FROM devices WHERE token_hash = $1 AND NOT revoked`,
    [hashSecret(token)],
  );
  return rows.length === 0 ? null : { deviceId: rows[0]!.id, eventId: rows[0]!.event_id };
}

/** A new token for the device; the old one stops working at once. */
export async function rollDeviceToken(sql: Sql, deviceId: string): Promise<string> {
  const token = newDeviceToken();
  await sql.query(`UPDATE devices SET token_hash = $2 WHERE id = $1`, [deviceId, hashSecret(token)]);
  return token;
}

export async function revokeDevice(sql: Sql, deviceId: string): Promise<boolean> {
  const rows = await sql.query(`UPDATE devices SET revoked = true WHERE id = $1 RETURNING id`, [deviceId]);
  return rows.length > 0;
}

export interface DeviceInfo {
  id: string;
  name: string;
  revoked: boolean;
  pairedMs: number;
  lastSyncMs: number;
  ackedThrough: number;
}

export async function listDevices(sql: Sql, eventId: string): Promise<DeviceInfo[]> {
  const rows = await sql.query<{
    id: string;
    name: string;
    revoked: boolean;
    paired_ms: number;
    last_sync_ms: number;
    contiguous_seq: number | null;
  }>(
    `SELECT d.id, d.name, d.revoked, d.paired_ms, d.last_sync_ms, p.contiguous_seq
     FROM devices d LEFT JOIN device_progress p ON p.device_id = d.id
     WHERE d.event_id = $1 ORDER BY d.name, d.id`,
    [eventId],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    revoked: r.revoked,
    pairedMs: Number(r.paired_ms),
    lastSyncMs: Number(r.last_sync_ms),
    ackedThrough: Number(r.contiguous_seq ?? 0),
  }));
}
