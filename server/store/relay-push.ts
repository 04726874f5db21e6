import type { FactCheck } from '../../shared/sync/fact-schema.ts';
import { SYNC_PROTOCOL_VERSION, type FactOutcome, type VersionVector } from '../../shared/sync/protocol.ts';
import type { RelayPushResponse } from '../../shared/sync/relay.ts';
import { contentHash, versionVector } from './fact-log.ts';
import { pushFacts } from './fact-push.ts';
import { devicesTrustedFor, type HubContext } from './relay-hubs.ts';
import type { Sql } from './sql.ts';

export type RelayPushOutcome = { kind: 'ok'; response: RelayPushResponse; stored: number } | { kind: 'key_reused' };

const deviceOf = (c: FactCheck): string => (c.ok ? c.fact.deviceId : c.deviceId);

/**
 * Stores a hub's batch (several devices' facts) exactly once, each fact as its device sent it.
 *
 * The facts of each device the hub is trusted for go through `pushFacts` as if that device had pushed
 * them itself: the same uniqueness (R5), the same watermark (R9), schema refusals remembered the same way,
 * and an Idempotency-Key per device derived from the hub's (R6) — a retried batch replays each device's
 * stored answer. One transaction per device: a batch cut off half way leaves whole devices' parts, and the
 * retry completes the rest.
 *
 * A fact of a device the hub is not trusted for is refused alone (`relay_not_trusted`) and raised as an
 * alert naming the hub — unless the central server already holds that very fact (a kiosk that moved from
 * the hub to the central server pushed it itself): then it is a duplicate, as it would be from its device.
 */
export async function relayPush(
  sql: Sql,
  hub: HubContext,
  checked: readonly FactCheck[],
  idempotencyKey: string,
  nowMs: number,
): Promise<RelayPushOutcome> {
  const trusted = await devicesTrustedFor(sql, hub, [...new Set(checked.map(deviceOf).filter((d) => d !== ''))]);
  const results: FactOutcome[] = new Array<FactOutcome>(checked.length);
  const ackedThrough: Record<string, number> = {};
  let vector: VersionVector | null = null;
  let stored = 0;
  for (const deviceId of trusted) {
    const at = checked.flatMap((c, i) => (deviceOf(c) === deviceId ? [i] : []));
    const key = idempotencyKey === '' ? '' : `relay:${hub.hubId}:${idempotencyKey}`;
    const outcome = await pushFacts(
      sql,
      { deviceId, eventId: hub.eventId },
      at.map((i) => checked[i]!),
      key,
      nowMs,
    );
    if (outcome.kind === 'key_reused') return outcome;
    outcome.response.results.forEach((r, j) => (results[at[j]!] = r));
    ackedThrough[deviceId] = outcome.response.ackedThrough;
    vector = outcome.response.versionVector;
    stored += outcome.stored;
  }
  const untrusted = checked.flatMap((c, i) => (trusted.has(deviceOf(c)) ? [] : [i]));
  if (untrusted.length > 0) await refuseUntrusted(sql, hub, checked, untrusted, results, nowMs);
  const storedIds = results.flatMap((r) => (r.status === 'stored' ? [r.id] : []));
  if (storedIds.length > 0) {
    // Which hub relayed which fact. A replayed answer names the same facts again: kept once.
    await sql.query(
      `INSERT INTO relayed_facts (fact_id, hub_id, relayed_ms) SELECT unnest($1::uuid[]), $2, $3
       ON CONFLICT (fact_id) DO NOTHING`,
      [storedIds, hub.hubId, nowMs],
    );
  }
  return {
    kind: 'ok',
    stored,
    response: {
      protocol: SYNC_PROTOCOL_VERSION,
      results,
      ackedThrough,
      versionVector: vector ?? (await versionVector(sql, hub.eventId)),
      serverTime: nowMs,
    },
  };
}

/** Facts of devices the hub may not relay for: duplicates of what is held, else refused and recorded. */
async function refuseUntrusted(
  sql: Sql,
  hub: HubContext,
  checked: readonly FactCheck[],
  at: readonly number[],
  results: FactOutcome[],
  nowMs: number,
): Promise<void> {
  const wellFormed = at.flatMap((i) => {
    const c = checked[i]!;
    return c.ok ? [{ i, id: c.fact.id, hash: contentHash(c.fact) }] : [];
  });
  const held = await sql.query<{ fact_id: string; content_hash: string }>(
    `SELECT fact_id::text, content_hash FROM fact_log WHERE fact_id = ANY($1::uuid[])`,
    [wellFormed.map((f) => f.id)],
  );
  const heldHash = new Map(held.map((h) => [h.fact_id, h.content_hash]));
  const same = new Set(wellFormed.filter((f) => heldHash.get(f.id) === f.hash).map((f) => f.i));
  const alerts: Array<Record<string, unknown>> = [];
  for (const i of at) {
    const c = checked[i]!;
    const id = c.ok ? c.fact.id : c.id;
    if (same.has(i)) {
      results[i] = { id, status: 'duplicate', reason: '' };
      continue;
    }
    const reason = c.ok ? ('relay_not_trusted' as const) : c.code;
    results[i] = { id, status: 'rejected', reason };
    alerts.push({
      kind: 'relay_not_trusted',
      device_id: deviceOf(c),
      fact_id: id,
      detail: { hubId: hub.hubId, reason, deviceSeq: c.ok ? c.fact.deviceSeq : c.deviceSeq },
    });
  }
  if (alerts.length === 0) return;
  await sql.query(
    `INSERT INTO alerts (conference_id, kind, device_id, fact_id, detail, created_ms)
     SELECT $2, a.kind, a.device_id, a.fact_id, a.detail, $3
     FROM jsonb_to_recordset($1::jsonb) AS a(kind text, device_id text, fact_id text, detail jsonb)`,
    [JSON.stringify(alerts), hub.eventId, nowMs],
  );
}
