import { hash } from 'node:crypto';
import { canonicalJson } from '../../shared/sync/canonical.ts';
import type { Fact, FactCheck } from '../../shared/sync/fact-schema.ts';
import { SYNC_PROTOCOL_VERSION, type FactOutcome, type PushResponse } from '../../shared/sync/protocol.ts';
import type { DeviceContext } from './fact-log.ts';
import { copyNewFacts, insertFacts } from './fact-insert.ts';
import { keptAnswer, replayedAnswer, type KeptAnswer } from './fact-push-answer.ts';
import { storeInOneStatement } from './fact-push-one.ts';
import { advanceProgress } from './push-progress.ts';
import type { Sql } from './sql.ts';

export type PushOutcome = { kind: 'ok'; response: PushResponse; stored: number } | { kind: 'key_reused' };

/** PostgreSQL's unique_violation: a plain INSERT met a row it did not expect (see `pushFacts`). */
const UNIQUE_VIOLATION = '23505';

/**
 * Stores a batch exactly once (R5, R6). One transaction: the idempotency record, the facts, the
 * watermark. Pushes of different kiosks run concurrently; pulls follow commit order (see pullFacts).
 * The usual batch (all checked, all the device's own, past everything it stored) is one statement
 * (fact-push-one.ts); any other takes six round trips whatever its size (BEGIN, lock, key + facts,
 * watermark, key record, COMMIT), more only for refused or rejected facts.
 *
 * A batch that lies wholly past every fact its device has stored (a door sending its next facts, the
 * usual case) is inserted plainly; any other with ON CONFLICT DO NOTHING, whose per-row conflict check
 * costs about a fifth of the INSERT. Should a plain INSERT still meet a row (a fact id another device
 * already used, a hub relaying the same facts at that moment), the transaction is rolled back and the
 * batch stored again the careful way: the answer is the same, only slower.
 */
export async function pushFacts(
  sql: Sql,
  device: DeviceContext,
  checked: readonly FactCheck[],
  idempotencyKey: string,
  nowMs: number,
): Promise<PushOutcome> {
  const hashed = hashBatch(checked);
  // The usual batch (every fact checked and the device's own, past all it stored) in one statement.
  if (
    checked.length > 0 &&
    hashed.facts.length === checked.length &&
    hashed.facts.every((f) => f.deviceId === device.deviceId)
  ) {
    try {
      const one = await storeInOneStatement(
        sql,
        device,
        hashed.facts,
        hashed.hashes,
        hashed.requestHash,
        idempotencyKey,
        nowMs,
      );
      if (one.kind === 'stored') return { kind: 'ok', response: one.response, stored: hashed.facts.length };
      if (one.kind === 'seen') {
        if (one.requestHash !== hashed.requestHash) return { kind: 'key_reused' };
        return { kind: 'ok', response: replayedAnswer(one.response, checked), stored: 0 };
      }
    } catch (error) {
      if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
      return storeBatch(sql, device, checked, hashed, idempotencyKey, nowMs, 'on_conflict');
    }
  }
  try {
    return await storeBatch(sql, device, checked, hashed, idempotencyKey, nowMs, 'plain_when_new');
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
    return storeBatch(sql, device, checked, hashed, idempotencyKey, nowMs, 'on_conflict');
  }
}

/** The highest seq of the device's own facts in the batch, stored or refused (device_progress.highest_seq). */
function highestOwnSeq(device: DeviceContext, checked: readonly FactCheck[]): number {
  let highest = 0;
  for (const c of checked) {
    const [deviceId, seq] = c.ok ? [c.fact.deviceId, c.fact.deviceSeq] : [c.deviceId, c.deviceSeq];
    if (deviceId === device.deviceId && seq > highest) highest = seq;
  }
  return highest;
}

interface HashedBatch {
  /** The batch's checked facts, in order. */
  facts: Fact[];
  /** Each fact's canonical JSON (contentHash's bytes) and its hash, by position in `facts`. */
  canonical: string[];
  hashes: string[];
  hashOf: Map<Fact, string>;
  /** The request's identity for its Idempotency-Key. */
  requestHash: string;
}

function hashBatch(checked: readonly FactCheck[]): HashedBatch {
  const facts = checked.flatMap((c) => (c.ok ? [c.fact] : []));
  // Each fact's canonical JSON is written once: hashed (contentHash's bytes), then (INSERT) sent as the row.
  // crypto.hash: one call per fact instead of a Hash object's three (a third of the hashing's CPU).
  const canonical = facts.map((e) => canonicalJson(e));
  const hashes = canonical.map((text) => hash('sha256', text, 'hex'));
  const hashOf = new Map(facts.map((e, i) => [e, hashes[i]!]));
  // The request's identity for its Idempotency-Key: the facts' own hashes, in order (each is hashed once);
  // a refused fact counts by its id and why it was refused (its body may be too deep to hash).
  const requestHash = hash(
    'sha256',
    checked.map((c) => (c.ok ? hashOf.get(c.fact)! : `refused:${c.code}:${c.id}`)).join(','),
    'hex',
  );
  return { facts, canonical, hashes, hashOf, requestHash };
}

async function storeBatch(
  sql: Sql,
  device: DeviceContext,
  checked: readonly FactCheck[],
  { facts, canonical, hashes, hashOf, requestHash }: HashedBatch,
  idempotencyKey: string,
  nowMs: number,
  insertMode: 'plain_when_new' | 'on_conflict',
): Promise<PushOutcome> {
  const refused = checked.flatMap((c) => (c.ok ? [] : [c]));
  const own = facts.filter((e) => e.deviceId === device.deviceId);
  const rows = own.map((e) => ({ fact_id: e.id, device_seq: e.deviceSeq, content_hash: hashOf.get(e)! }));
  return sql.transaction(async (tx) => {
    // One push per device at a time (a retry racing its own first attempt, or pipelined batches): the
    // upsert locks the device's watermark row until COMMIT — waiting for another push of this device to
    // end — and reads the watermark. Other devices are not held up.
    // It also reads the device's highest stored seq (one index probe): a batch past it cannot conflict
    // on (device, seq). Read in this statement's snapshot, which may predate a push of this device that
    // held the lock meanwhile: then the plain INSERT fails and the batch is stored again (see above).
    // And it reads the Idempotency-Key's record, in the same snapshot: a record committed by an attempt
    // that held the lock meanwhile is missed here, but that attempt's facts (or its key, if the body
    // differs) then make the plain path fail and the careful one (which reads the key after the lock) answers.
    const [progress] = await tx.query<{
      contiguous_seq: number;
      top_seq: number;
      seen_hash: string | null;
      seen_response: KeptAnswer | PushResponse | null;
    }>(
      `INSERT INTO device_progress (device_id, conference_id, contiguous_seq, pushes, highest_seq) VALUES ($1, $2, 0, 1, $4)
       ON CONFLICT (device_id) DO UPDATE
         SET pushes = device_progress.pushes + 1, highest_seq = greatest(device_progress.highest_seq, $4)
       RETURNING contiguous_seq,
         (SELECT coalesce(max(device_seq), 0) FROM fact_log WHERE device_id = $1)::bigint AS top_seq,
         (SELECT request_hash FROM idempotency_keys WHERE device_id = $1 AND key = $3) AS seen_hash,
         (SELECT response FROM idempotency_keys WHERE device_id = $1 AND key = $3) AS seen_response`,
      [device.deviceId, device.eventId, idempotencyKey, highestOwnSeq(device, checked)],
      'push_lock_and_key',
    );
    if (progress!.seen_hash !== null) {
      if (progress!.seen_hash !== requestHash) return { kind: 'key_reused' } as const;
      return { kind: 'ok', response: replayedAnswer(progress!.seen_response!, checked), stored: 0 } as const;
    }
    const plain = insertMode === 'plain_when_new' && rows.every((r) => r.device_seq > Number(progress!.top_seq));
    const stored =
      plain && tx.copyIn !== undefined
        ? await copyNewFacts(tx, own, hashOf, device.eventId, nowMs)
        : await insertFacts(tx, facts, canonical, hashes, device, idempotencyKey, nowMs, plain);
    if (stored.kind === 'seen') {
      if (stored.requestHash !== requestHash) return { kind: 'key_reused' } as const;
      return { kind: 'ok', response: replayedAnswer(stored.response, checked), stored: 0 } as const;
    }
    const insertedIds = stored.ids;
    const missing = rows.filter((r) => !insertedIds.has(r.fact_id));
    const existing = new Map<string, string>();
    if (missing.length > 0) {
      const found = await tx.query<{ fact_id: string; content_hash: string }>(
        `SELECT fact_id::text, content_hash FROM fact_log WHERE fact_id = ANY($1::uuid[])`,
        [missing.map((r) => r.fact_id)],
      );
      for (const f of found) existing.set(f.fact_id, f.content_hash);
    }
    const results: FactOutcome[] = [];
    const byId = new Map(rows.map((r) => [r.fact_id, r]));
    const verdict = new Map<Fact, FactOutcome>();
    for (const c of refused) {
      // Refused by its schema: remembered by (device, seq) when it names this device, so the watermark
      // moves past it (a rogue device can only skip its own numbers), and raised as an alert.
      if (c.deviceId === device.deviceId && c.deviceSeq >= 1) {
        await tx.query(
          `INSERT INTO refused_facts (device_id, device_seq, fact_id, code, received_ms) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT DO NOTHING`,
          [device.deviceId, c.deviceSeq, c.id, c.code, nowMs],
        );
      }
      await tx.query(
        `INSERT INTO alerts (conference_id, kind, device_id, fact_id, detail, created_ms) VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          device.eventId,
          c.code,
          device.deviceId,
          c.id,
          JSON.stringify({ deviceSeq: c.deviceSeq, message: c.message.slice(0, 500) }),
          nowMs,
        ],
      );
    }
    for (const e of facts) {
      if (e.deviceId !== device.deviceId) {
        results.push({ id: e.id, status: 'rejected', reason: 'wrong_device' });
        continue;
      }
      if (insertedIds.has(e.id)) {
        results.push({ id: e.id, status: 'stored', reason: '' });
        continue;
      }
      const hash = existing.get(e.id);
      if (hash === byId.get(e.id)!.content_hash) {
        results.push({ id: e.id, status: 'duplicate', reason: '' });
        continue;
      }
      const reason = hash === undefined ? ('seq_conflict' as const) : ('id_reuse' as const);
      results.push({ id: e.id, status: 'rejected', reason });
      await tx.query(
        `INSERT INTO alerts (conference_id, kind, device_id, fact_id, detail, created_ms) VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          device.eventId,
          reason,
          device.deviceId,
          e.id,
          JSON.stringify({ deviceSeq: e.deviceSeq, type: e.type }),
          nowMs,
        ],
      );
    }
    for (const [i, r] of results.entries()) verdict.set(facts[i]!, r);
    const ordered = checked.map((c): FactOutcome =>
      c.ok ? verdict.get(c.fact)! : { id: c.id, status: 'rejected', reason: c.code },
    );
    // The seqs this batch shows present right after the watermark (stored now, held already, or refused
    // and remembered) need not be read back: the watermark query starts after them.
    const present = new Set<number>();
    for (const [i, r] of results.entries()) if (r.status !== 'rejected') present.add(facts[i]!.deviceSeq);
    for (const c of refused) if (c.deviceId === device.deviceId && c.deviceSeq >= 1) present.add(c.deviceSeq);
    let through = Number(progress!.contiguous_seq);
    while (present.has(through + 1)) through += 1;
    const { ackedThrough, versionVector } = await advanceProgress(tx, device, through, nowMs);
    const response: PushResponse = {
      protocol: SYNC_PROTOCOL_VERSION,
      results: ordered,
      ackedThrough,
      versionVector,
      serverTime: nowMs,
    };
    if (idempotencyKey !== '') {
      // A concurrent retry of the same request may have stored it first; either answer is the same. On the
      // plain path the key's record was read before the lock (above), so a record another attempt wrote
      // meanwhile fails this INSERT instead, and the careful path reads it and answers from it.
      const careful = insertMode === 'on_conflict';
      await tx.query(
        `INSERT INTO idempotency_keys (device_id, key, request_hash, response, created_ms) VALUES ($1, $2, $3, $4, $5)
         ${careful ? 'ON CONFLICT (device_id, key) DO NOTHING' : ''}`,
        [device.deviceId, idempotencyKey, requestHash, JSON.stringify(keptAnswer(response)), nowMs],
        careful ? 'push_key_record_on_conflict' : 'push_key_record',
      );
    }
    return { kind: 'ok', response, stored: insertedIds.size } as const;
  });
}
