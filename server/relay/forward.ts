import { createHash } from 'node:crypto';
import { PUSH_BATCH_BYTES, PUSH_BATCH_FACTS, type FactOutcome } from '../../shared/sync/protocol.ts';
import type { RelayPushResponse } from '../../shared/sync/relay.ts';
import { FACT_COLUMNS, factFromRow, type FactRow } from '../store/fact-rows.ts';
import type { Sql } from '../store/sql.ts';
import type { RelayClient } from './client.ts';

/**
 * Forwarding: every fact the hub's own devices (the kiosks paired with it) sent, to the central server,
 * in batches after each device's position. The position moves only once the central server has answered
 * for every fact of a batch — stored, duplicate or refused — and is saved in the hub's database in one
 * transaction with the tallies: a cut or a restart resumes from it, and the batch sent again carries the
 * same Idempotency-Key (derived from its facts), so the central server replays its stored answer (R6).
 */

interface BatchRow extends FactRow {
  payload_bytes: number;
}

export interface ForwardTally {
  stored: number;
  duplicates: number;
  refused: number;
}

/** The next batch: the hub's devices' facts after their positions, device by device, in seq order. */
async function nextBatch(sql: Sql, eventId: string): Promise<BatchRow[]> {
  // Device by device through the (device_id, device_seq) index: a hub has a handful of devices, each with a
  // position; facts brought back from the central server belong to no device of this hub and never match.
  // A device the central server does not trust this hub for (paired with it directly, before or since)
  // is left out: it pushes its facts itself, and those the hub holds would only come back as refused.
  const rows = await sql.query<BatchRow>(
    `SELECT f.* FROM devices d
     LEFT JOIN relay_positions p ON p.device_id = d.id
     CROSS JOIN LATERAL (
       SELECT ${FACT_COLUMNS}, payload_bytes FROM fact_log l
       WHERE l.device_id = d.id AND l.device_seq > coalesce(p.sent_through, 0) AND l.conference_id = $1
       ORDER BY l.device_seq LIMIT $2
     ) f
     WHERE d.event_id = $1 AND NOT EXISTS (SELECT 1 FROM relay_announced a WHERE a.device_id = d.id AND NOT a.bound)
     ORDER BY f.device_id, f.device_seq
     LIMIT $2`,
    [eventId, PUSH_BATCH_FACTS],
  );
  let bytes = 0;
  const batch: BatchRow[] = [];
  for (const row of rows) {
    bytes += Number(row.payload_bytes) + 200;
    if (batch.length > 0 && bytes > PUSH_BATCH_BYTES) break;
    batch.push(row);
  }
  return batch;
}

/** Saves what the answer settles: each device's position, the central watermark, the tallies. */
async function settle(
  sql: Sql,
  eventId: string,
  batch: readonly BatchRow[],
  answer: RelayPushResponse,
  nowMs: number,
): Promise<ForwardTally> {
  const outcomeOf = new Map<string, FactOutcome>(answer.results.map((r) => [r.id, r]));
  const perDevice = new Map<string, { last: number; stored: number; duplicates: number; refused: number }>();
  const refused: Array<{ fact_id: string; device_id: string; reason: string; device_seq: number }> = [];
  for (const row of batch) {
    const tally = perDevice.get(row.device_id) ?? { last: 0, stored: 0, duplicates: 0, refused: 0 };
    tally.last = Math.max(tally.last, Number(row.device_seq));
    const outcome = outcomeOf.get(row.fact_id);
    if (outcome?.status === 'stored') tally.stored += 1;
    else if (outcome?.status === 'duplicate') tally.duplicates += 1;
    else {
      tally.refused += 1;
      refused.push({
        fact_id: row.fact_id,
        device_id: row.device_id,
        reason: outcome?.reason || 'unanswered',
        device_seq: Number(row.device_seq),
      });
    }
    perDevice.set(row.device_id, tally);
  }
  const positions = [...perDevice].map(([deviceId, t]) => ({
    device_id: deviceId,
    last: t.last,
    // Absent for a device the central server does not trust this hub for: its watermark there is not ours.
    acked: answer.ackedThrough[deviceId] ?? null,
    stored: t.stored,
    duplicates: t.duplicates,
    refused: t.refused,
  }));
  await sql.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO relay_positions AS p (device_id, sent_through, central_acked, stored, duplicates, refused)
       SELECT x.device_id, x.last, coalesce(x.acked, 0), x.stored, x.duplicates, x.refused
       FROM jsonb_to_recordset($1::jsonb) AS x(device_id text, last bigint, acked bigint, stored bigint,
            duplicates bigint, refused bigint)
       ON CONFLICT (device_id) DO UPDATE SET
         sent_through = greatest(p.sent_through, excluded.sent_through),
         central_acked = CASE WHEN excluded.central_acked > 0 THEN excluded.central_acked ELSE p.central_acked END,
         stored = p.stored + excluded.stored,
         duplicates = p.duplicates + excluded.duplicates,
         refused = p.refused + excluded.refused`,
      [JSON.stringify(positions)],
    );
    // Not answered with a watermark: the central server no longer trusts this hub for the device (it
    // paired with the central server directly since). Its facts are not forwarded again.
    const untrusted = positions.filter((p) => p.acked === null).map((p) => p.device_id);
    if (untrusted.length > 0) {
      await tx.query(
        `INSERT INTO relay_announced (device_id, bound, reason, announced_ms)
         SELECT unnest($1::text[]), false, 'paired_directly', $2
         ON CONFLICT (device_id) DO UPDATE SET bound = false, reason = excluded.reason`,
        [untrusted, nowMs],
      );
    }
    if (refused.length > 0) {
      // Kept on the hub too, where its supervisor looks: which of its doors' facts the central server refused.
      await tx.query(
        `INSERT INTO alerts (conference_id, kind, device_id, fact_id, detail, created_ms)
         SELECT $2, 'relay_refused', r.device_id, r.fact_id, jsonb_build_object('reason', r.reason, 'deviceSeq', r.device_seq), $3
         FROM jsonb_to_recordset($1::jsonb) AS r(fact_id text, device_id text, reason text, device_seq bigint)`,
        [JSON.stringify(refused), eventId, nowMs],
      );
    }
  });
  return {
    stored: positions.reduce((n, p) => n + p.stored, 0),
    duplicates: positions.reduce((n, p) => n + p.duplicates, 0),
    refused: refused.length,
  };
}

/** The batch's Idempotency-Key: the same facts make the same key, whenever and however often they are sent. */
function batchKey(batch: readonly BatchRow[]): string {
  const digest = createHash('sha256')
    .update(batch.map((r) => r.fact_id).join(','))
    .digest('hex')
    .slice(0, 32);
  return `${batch[0]!.device_id}:${batch[0]!.device_seq}:${batch.length}:${digest}`;
}

/** Forwards until nothing of the hub's devices is left after their positions. */
export async function forwardAll(
  sql: Sql,
  client: RelayClient,
  eventId: string,
  now: () => number,
): Promise<ForwardTally> {
  const total: ForwardTally = { stored: 0, duplicates: 0, refused: 0 };
  for (;;) {
    const batch = await nextBatch(sql, eventId);
    if (batch.length === 0) return total;
    const answer = await client.push(
      batch.map((r) => factFromRow(r)),
      batchKey(batch),
    );
    const tally = await settle(sql, eventId, batch, answer, now());
    total.stored += tally.stored;
    total.duplicates += tally.duplicates;
    total.refused += tally.refused;
  }
}
