import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Handover } from '../../shared/sync/protocol.ts';
import { handoverMessage, type BindingRefusal } from '../../shared/sync/relay.ts';
import type { HubContext } from './relay-hubs.ts';
import type { Sql } from './sql.ts';

export interface AnnounceAnswer {
  deviceId: string;
  bound: boolean;
  reason: BindingRefusal | '';
}

export interface AnnouncedDevice {
  deviceId: string;
  name: string;
  handover?: Omit<Handover, 'hubId'> | undefined;
}

/**
 * The proof a door paired with this server computes when it moves to a hub (shared/sync/protocol.ts
 * HandoverSchema): keyed with the hash of its token this server keeps (R20), compared in constant time.
 */
export function handoverValid(
  tokenHash: string,
  eventId: string,
  deviceId: string,
  hubId: string,
  handover: Omit<Handover, 'hubId'>,
): boolean {
  const expected = createHmac('sha256', tokenHash)
    .update(handoverMessage(eventId, deviceId, hubId, handover.n))
    .digest();
  const given = Buffer.from(handover.proof, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

interface Direct {
  id: string;
  event_id: string;
  token_hash: string;
  revoked: boolean;
  paired_ms: number;
}

interface Binding {
  device_id: string;
  hub_id: string;
  bound_ms: number;
  handover_n: number;
}

/**
 * Binds each announced device to the hub unless the central server knows it already: paired directly (a
 * row of `devices`) or bound to another hub. A device paired directly is bound all the same when the hub
 * brings its valid hand-over proof of a later count than the binding it has (the most recent proven pairing
 * wins); an invalid proof is refused (`handover_invalid`) and recorded as an alert naming the hub. A
 * binding counts from `bound_ms`: a door that pairs with the central server again afterwards is its own
 * again (devicesTrustedFor). Announcing again is harmless.
 */
export async function announceDevices(
  sql: Sql,
  hub: HubContext,
  devices: readonly AnnouncedDevice[],
  nowMs: number,
): Promise<AnnounceAnswer[]> {
  return sql.transaction(async (tx) => {
    const ids = devices.map((d) => d.deviceId);
    const directRows = await tx.query<Direct>(
      `SELECT id, event_id, token_hash, revoked, paired_ms FROM devices WHERE id = ANY($1::text[])`,
      [ids],
    );
    const bindingRows = await tx.query<Binding>(
      `SELECT device_id, hub_id, bound_ms, handover_n FROM relay_bindings WHERE device_id = ANY($1::text[]) FOR UPDATE`,
      [ids],
    );
    const direct = new Map(directRows.map((r) => [r.id, r]));
    const binding = new Map(bindingRows.map((b) => [b.device_id, b]));
    const answers: AnnounceAnswer[] = [];
    const bind: Array<{ device_id: string; name: string; bound_ms: number; handover_n: number }> = [];
    const alerts: Array<{ device_id: string; n: number }> = [];
    for (const device of devices) {
      const { deviceId } = device;
      const own = direct.get(deviceId);
      const bound = binding.get(deviceId);
      const ours = bound !== undefined && bound.hub_id === hub.hubId;
      if (own === undefined) {
        // Unknown to the central server: the first hub to announce it relays for it (as before hand-overs).
        if (bound === undefined) bind.push({ device_id: deviceId, name: device.name, bound_ms: nowMs, handover_n: 0 });
        answers.push({
          deviceId,
          bound: bound === undefined || ours,
          reason: bound === undefined || ours ? '' : 'bound_to_other_hub',
        });
        continue;
      }
      if (ours && Number(bound.bound_ms) > Number(own.paired_ms)) {
        answers.push({ deviceId, bound: true, reason: '' });
        continue;
      }
      const handover = device.handover;
      if (handover === undefined) {
        answers.push({ deviceId, bound: false, reason: 'paired_directly' });
        continue;
      }
      const valid =
        !own.revoked &&
        own.event_id === hub.eventId &&
        handoverValid(own.token_hash, hub.eventId, deviceId, hub.hubId, handover);
      if (!valid) {
        alerts.push({ device_id: deviceId, n: handover.n });
        answers.push({ deviceId, bound: false, reason: 'handover_invalid' });
        continue;
      }
      // An older proof (a hub the door has left since) does not win the door back from a newer one.
      if (bound !== undefined && !ours && Number(bound.handover_n) >= handover.n) {
        answers.push({ deviceId, bound: false, reason: 'bound_to_other_hub' });
        continue;
      }
      // After the direct pairing, by this server's clock, even within the same millisecond.
      const boundMs = Math.max(nowMs, Number(own.paired_ms) + 1);
      bind.push({ device_id: deviceId, name: device.name, bound_ms: boundMs, handover_n: handover.n });
      answers.push({ deviceId, bound: true, reason: '' });
    }
    if (bind.length > 0) {
      await tx.query(
        `INSERT INTO relay_bindings AS b (device_id, event_id, hub_id, name, bound_ms, handover_n)
         SELECT a.device_id, $2, $3, a.name, a.bound_ms, a.handover_n
         FROM jsonb_to_recordset($1::jsonb) AS a(device_id text, name text, bound_ms bigint, handover_n bigint)
         ON CONFLICT (device_id) DO UPDATE SET event_id = excluded.event_id, hub_id = excluded.hub_id,
           name = excluded.name, bound_ms = excluded.bound_ms, handover_n = excluded.handover_n
         WHERE excluded.handover_n > 0`,
        [JSON.stringify(bind), hub.eventId, hub.hubId],
      );
    }
    if (alerts.length > 0) {
      await tx.query(
        `INSERT INTO alerts (conference_id, kind, device_id, fact_id, detail, created_ms)
         SELECT $2, 'relay_handover_refused', a.device_id, '', jsonb_build_object('hubId', $3::text, 'n', a.n), $4
         FROM jsonb_to_recordset($1::jsonb) AS a(device_id text, n bigint)`,
        [JSON.stringify(alerts), hub.eventId, hub.hubId, nowMs],
      );
    }
    return answers;
  });
}
