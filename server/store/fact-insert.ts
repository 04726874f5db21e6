import type { Fact } from '../../shared/sync/fact-schema.ts';
import type { PushResponse } from '../../shared/sync/protocol.ts';
import { copyField } from './copy-in.ts';
import type { DeviceContext } from './fact-log.ts';
import type { KeptAnswer } from './fact-push-answer.ts';
import type { Sql } from './sql.ts';

/** The columns of `fact_log` a push fills, in the order of `factCopyData`'s fields. */
const FACT_COPY = `COPY fact_log (fact_id, conference_id, device_id, device_seq, type, guest_id, hlc, wall_ms,
  actor, payload, payload_bytes, content_hash, received_ms) FROM STDIN`;

/**
 * The bytes of a JSON value as PostgreSQL writes it back from jsonb (`payload::text`): the compact JSON
 * with a space after every `:` and `,` (jsonb's output; key order does not change the length). This is
 * what `payload_bytes` held when PostgreSQL computed it with `octet_length(payload::text)`. Numbers are the
 * one difference: jsonb writes 1e21 out in full, so a payload with such numbers counts a few bytes short
 * (the column bounds pull pages, a budget).
 */
export function jsonbTextBytes(value: unknown, json: string): number {
  return Buffer.byteLength(json, 'utf8') + separators(value);
}

function separators(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let n = 0;
  if (Array.isArray(value)) {
    if (value.length > 1) n += value.length - 1;
    for (const item of value) n += separators(item);
    return n;
  }
  let members = 0;
  for (const key in value) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    members += 1;
    n += separators(member);
  }
  // one ": " per member, one ", " between members
  return n + members + (members > 1 ? members - 1 : 0);
}

/**
 * The rows of a push's facts in COPY's text format, in device order (the log's seq follows it, as the
 * INSERT's ORDER BY did). `hashes[i]` is `facts[i]`'s content hash. Every text is escaped for COPY; the
 * fact schema already refuses control characters and lone surrogates in every field, and the payload goes
 * as JSON (its own escapes doubled by `copyField`).
 */
function factCopyData(facts: readonly Fact[], hashes: readonly string[], eventId: string, nowMs: number): string {
  const order = facts.map((_, i) => i);
  if (!facts.every((f, i) => i === 0 || facts[i - 1]!.deviceSeq < f.deviceSeq)) {
    order.sort((a, b) => facts[a]!.deviceSeq - facts[b]!.deviceSeq);
  }
  const event = copyField(eventId);
  const received = String(nowMs);
  let out = '';
  for (const i of order) {
    const f = facts[i]!;
    const payload = JSON.stringify(f.payload);
    out += `${f.id}\t${event}\t${copyField(f.deviceId)}\t${f.deviceSeq}\t${copyField(f.type)}\t${copyField(f.guestId)}\t${copyField(f.hlc)}\t${f.wallMs}\t${copyField(f.actor)}\t${copyField(payload)}\t${jsonbTextBytes(f.payload, payload)}\t${hashes[i]!}\t${received}\n`;
  }
  return out;
}

/** What storing a batch's rows found: the facts inserted, or (INSERT only) the Idempotency-Key's record. */
export type StoredRows =
  { kind: 'stored'; ids: Set<string> } | { kind: 'seen'; requestHash: string; response: KeptAnswer | PushResponse };

/**
 * PostgreSQL, a batch past everything its device stored: its facts go in by COPY, which costs PostgreSQL
 * about a fifth less CPU per fact than the INSERT from jsonb_to_recordset (no per-row function calls, heap
 * pages filled several rows at a time). All or nothing: a row it meets fails it with unique_violation, and
 * pushFacts stores the batch again the careful way.
 */
export async function copyNewFacts(
  tx: Sql,
  own: readonly Fact[],
  hashOf: ReadonlyMap<Fact, string>,
  eventId: string,
  nowMs: number,
): Promise<StoredRows> {
  const data = factCopyData(
    own,
    own.map((e) => hashOf.get(e)!),
    eventId,
    nowMs,
  );
  const count = await tx.copyIn!(FACT_COPY, data);
  if (count !== own.length) throw new Error(`COPY stored ${count} of ${own.length} facts`);
  return { kind: 'stored', ids: new Set(own.map((e) => e.id)) };
}

/**
 * The device's own facts of the batch by one INSERT, which also reads the Idempotency-Key's record. Its
 * snapshot is taken after the device's lock was granted, so an attempt that held the lock has committed and
 * its key is seen; a known key stores nothing. `plain`: without ON CONFLICT (a row met fails the INSERT);
 * otherwise ON CONFLICT DO NOTHING covers both unique keys of the log, and pushFacts classifies what was not
 * inserted (duplicate, id reuse, seq conflict).
 */
export async function insertFacts(
  tx: Sql,
  facts: readonly Fact[],
  canonical: readonly string[],
  hashes: readonly string[],
  device: DeviceContext,
  idempotencyKey: string,
  nowMs: number,
  plain: boolean,
): Promise<StoredRows> {
  // The rows as PostgreSQL reads them: the canonical JSON of each of the device's own facts with its hash
  // added (a checked fact is a non-empty object), instead of writing every fact out a second time.
  const rowsJson = `[${facts
    .flatMap((e, i) =>
      e.deviceId === device.deviceId ? [`${canonical[i]!.slice(0, -1)},"contentHash":"${hashes[i]!}"}`] : [],
    )
    .join(',')}]`;
  const written = await tx.query<{
    fact_id: string | null;
    request_hash: string | null;
    response: KeptAnswer | PushResponse;
  }>(
    `WITH seen AS (
       SELECT request_hash, response FROM idempotency_keys WHERE device_id = $4 AND key = $5
     ), stored AS (
       INSERT INTO fact_log (fact_id, conference_id, device_id, device_seq, type, guest_id, hlc, wall_ms,
                             actor, payload, payload_bytes, content_hash, received_ms)
       SELECT x."id", $2, x."deviceId", x."deviceSeq", x."type", x."guestId", x."hlc", x."wallMs", x."actor",
              x."payload", octet_length(x."payload"::text), x."contentHash", $3
       FROM jsonb_to_recordset($1::jsonb) AS x("id" uuid, "deviceId" text, "deviceSeq" bigint, "type" text,
            "guestId" text, "hlc" text, "wallMs" bigint, "actor" text, "payload" jsonb, "contentHash" text)
       WHERE NOT EXISTS (SELECT 1 FROM seen)
       ORDER BY x."deviceSeq"
       ${plain ? '' : 'ON CONFLICT DO NOTHING'}
       RETURNING fact_id::text
     )
     SELECT NULL AS fact_id, request_hash, response FROM seen
     UNION ALL SELECT fact_id, NULL, NULL FROM stored`,
    [rowsJson, device.eventId, nowMs, device.deviceId, idempotencyKey],
    plain ? 'push_insert' : 'push_insert_on_conflict',
  );
  const seen = written.find((r) => r.request_hash !== null);
  if (seen !== undefined) return { kind: 'seen', requestHash: seen.request_hash!, response: seen.response };
  return { kind: 'stored', ids: new Set(written.map((r) => r.fact_id!)) };
}
