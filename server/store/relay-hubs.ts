import { hashSecret, newDeviceToken } from './devices.ts';
import type { Sql } from './sql.ts';

/**
 * The central server's side of venue hubs (shared/sync/relay.ts): one-time link codes an organiser makes
 * for a hub (made by devices.ts's createPairingCode in \`relay_hub_codes\`), hub tokens (hashes only, like device tokens, R20), and the bindings that say which hub may
 * relay for which device.
 */

/** The hub a request is authenticated as. */
export interface HubContext {
  hubId: string;
  eventId: string;
}

export type HubLinkOutcome =
  | { kind: 'linked'; eventId: string; hubId: string; name: string; token: string }
  | { kind: 'invalid' | 'used' | 'expired' | 'wrong_event' | 'hub_taken' };

/**
 * Spends a link code on a hub id (once, before it expires). `expectedEvent` is the event the hub serves:
 * a code of another event is refused without being spent. Linking a known hub again rolls its token.
 */
export async function redeemHubCode(
  sql: Sql,
  code: string,
  hubId: string,
  expectedEvent: string | undefined,
  nowMs: number,
): Promise<HubLinkOutcome> {
  const codeHash = hashSecret(code.replace(/\D/g, ''));
  return sql.transaction(async (tx) => {
    const [row] = await tx.query<{ event_id: string; name: string; used_ms: number; expires_ms: number }>(
      `SELECT event_id, name, used_ms, expires_ms FROM relay_hub_codes WHERE code_hash = $1 FOR UPDATE`,
      [codeHash],
    );
    if (row === undefined) return { kind: 'invalid' } as const;
    if (Number(row.used_ms) > 0) return { kind: 'used' } as const;
    if (Number(row.expires_ms) <= nowMs) return { kind: 'expired' } as const;
    if (expectedEvent !== undefined && expectedEvent !== row.event_id) return { kind: 'wrong_event' } as const;
    const [known] = await tx.query<{ event_id: string }>(`SELECT event_id FROM relay_hubs WHERE id = $1`, [hubId]);
    if (known !== undefined && known.event_id !== row.event_id) return { kind: 'hub_taken' } as const;
    await tx.query(`UPDATE relay_hub_codes SET used_ms = $2 WHERE code_hash = $1`, [codeHash, nowMs]);
    const token = newDeviceToken();
    await tx.query(
      `INSERT INTO relay_hubs (id, event_id, name, token_hash, revoked, linked_ms, last_contact_ms)
       VALUES ($1, $2, $3, $4, false, $5, $5)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash, revoked = false,
         linked_ms = excluded.linked_ms, last_contact_ms = excluded.last_contact_ms`,
      [hubId, row.event_id, row.name, hashSecret(token), nowMs],
    );
    return { kind: 'linked', eventId: row.event_id, hubId, name: row.name, token } as const;
  });
}

/** The hub a token names, if it is live; the request counts as the hub's contact. */
export async function authenticateHub(sql: Sql, token: string, nowMs: number): Promise<HubContext | null> {
  const rows = await sql.query<{ id: string; event_id: string }>(
    `UPDATE relay_hubs SET last_contact_ms = greatest(last_contact_ms, $2) WHERE token_hash = $1 AND NOT revoked
     RETURNING id, event_id`,
    [hashSecret(token), nowMs],
  );
  return rows.length === 0 ? null : { hubId: rows[0]!.id, eventId: rows[0]!.event_id };
}

export async function revokeHub(sql: Sql, hubId: string): Promise<boolean> {
  const rows = await sql.query<{ id: string }>(`UPDATE relay_hubs SET revoked = true WHERE id = $1 RETURNING id`, [
    hubId,
  ]);
  return rows.length > 0;
}

/**
 * Of `deviceIds`, those the hub may relay for: bound to it, and not paired directly since (a kiosk that
 * pairs with the central server itself re-binds to it: the hub is no longer trusted for it). A door paired
 * directly before it handed over to the hub with a proof is bound after that pairing (relay-announce.ts).
 */
export async function devicesTrustedFor(sql: Sql, hub: HubContext, deviceIds: readonly string[]): Promise<Set<string>> {
  if (deviceIds.length === 0) return new Set();
  const rows = await sql.query<{ device_id: string }>(
    `SELECT b.device_id FROM relay_bindings b
     WHERE b.hub_id = $1 AND b.event_id = $2 AND b.device_id = ANY($3::text[])
       AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.id = b.device_id AND d.paired_ms >= b.bound_ms)`,
    [hub.hubId, hub.eventId, [...deviceIds]],
  );
  return new Set(rows.map((r) => r.device_id));
}

export interface HubInfo {
  id: string;
  name: string;
  revoked: boolean;
  linkedMs: number;
  lastContactMs: number;
  /** Facts this hub relayed that the central server stored. */
  relayedFacts: number;
  /** Facts it relayed for devices it is not trusted for (refused, each recorded as an alert). */
  refusedFacts: number;
  /** Devices bound to it; `direct` once the device paired with the central server itself. */
  devices: Array<{ deviceId: string; name: string; boundMs: number; direct: boolean }>;
}

export async function listHubs(sql: Sql, eventId: string): Promise<HubInfo[]> {
  const hubs = await sql.query<{
    id: string;
    name: string;
    revoked: boolean;
    linked_ms: number;
    last_contact_ms: number;
    relayed: number;
    refused: number;
  }>(
    `SELECT h.id, h.name, h.revoked, h.linked_ms, h.last_contact_ms,
       (SELECT count(*) FROM relayed_facts r WHERE r.hub_id = h.id)::int AS relayed,
       (SELECT count(*) FROM alerts a WHERE a.conference_id = h.event_id AND a.kind = 'relay_not_trusted'
          AND a.detail->>'hubId' = h.id)::int AS refused
     FROM relay_hubs h WHERE h.event_id = $1 ORDER BY h.name, h.id`,
    [eventId],
  );
  const bindings = await sql.query<{
    device_id: string;
    hub_id: string;
    name: string;
    bound_ms: number;
    direct: boolean;
  }>(
    `SELECT b.device_id, b.hub_id, b.name, b.bound_ms, EXISTS (SELECT 1 FROM devices d WHERE d.id = b.device_id AND d.paired_ms >= b.bound_ms) AS direct
     FROM relay_bindings b WHERE b.event_id = $1 ORDER BY b.name, b.device_id`,
    [eventId],
  );
  return hubs.map((h) => ({
    id: h.id,
    name: h.name,
    revoked: h.revoked,
    linkedMs: Number(h.linked_ms),
    lastContactMs: Number(h.last_contact_ms),
    relayedFacts: Number(h.relayed),
    refusedFacts: Number(h.refused),
    devices: bindings
      .filter((b) => b.hub_id === h.id)
      .map((b) => ({ deviceId: b.device_id, name: b.name, boundMs: Number(b.bound_ms), direct: b.direct })),
  }));
}
