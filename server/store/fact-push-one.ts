import type { Fact } from '../../shared/sync/fact-schema.ts';
import { SYNC_PROTOCOL_VERSION, type PushResponse } from '../../shared/sync/protocol.ts';
import { jsonbTextBytes } from './fact-insert.ts';
import type { DeviceContext } from './fact-log.ts';
import type { KeptAnswer } from './fact-push-answer.ts';
import type { Sql } from './sql.ts';

/** Rows past the watermark the statement reads (as push-progress.ts advanceProgress's step); a longer run is left to the next push. */
const ADVANCE_STEP = 5000;

/**
 * The watermark `from` moved over the run of seqs right after it: the seqs past it in order, numbered 1, 2,
 * …, are the run where seq = from + number (as advanceProgress counts), this batch's seqs among them.
 */
function advancedFrom(from: string, withBatch = true): string {
  return `${from} + (SELECT count(*) FROM (
      SELECT s, row_number() OVER (ORDER BY s) AS n FROM (
        SELECT device_seq AS s FROM fact_log WHERE device_id = $1 AND device_seq > ${from}
        UNION SELECT device_seq FROM refused_facts WHERE device_id = $1 AND device_seq > ${from}
        ${withBatch ? `UNION SELECT device_seq FROM batch WHERE device_seq > ${from}` : ''}
        ORDER BY 1 LIMIT ${ADVANCE_STEP}
      ) past
    ) numbered WHERE s = ${from} + n)`;
}

/**
 * The usual batch — every fact checked, every one its device's own, all past everything the device stored —
 * in ONE statement, without BEGIN and COMMIT: the device's lock (the upsert of its watermark row), the
 * Idempotency-Key's record read, the facts inserted, the watermark moved over them and the key's record
 * written, all or nothing. A push was eight round trips to PostgreSQL (authentication, BEGIN, lock, COPY's
 * two, watermark, key record, COMMIT); each waited for the server's event loop behind other pushes' checking,
 * which is what held 20 kiosks' ingest below the two cores' capacity. This makes it two.
 *
 * Read in the statement's snapshot, which may predate a push of the same device that held the lock
 * meanwhile (pipelined batches, a retry): its facts or its key record then make this INSERT fail with a
 * unique violation, and pushFacts stores the batch the careful way. The watermark starts from the locked
 * row as it is now (not as the snapshot saw it) and moves over the seqs the snapshot sees past it plus this
 * batch's: it never moves past a seq that is not stored, and never back; it may stop short of rows a push
 * committed after the snapshot, which a second statement then moves over (AFTER_WAIT, only when another push came between and seqs were
 * sent past the watermark).
 */
const ONE_STATEMENT = `
WITH batch AS (
  SELECT * FROM unnest($8::uuid[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::bigint[],
                       $14::text[], $15::text[], $16::integer[], $17::text[])
    AS x(fact_id, device_seq, type, guest_id, hlc, wall_ms, actor, payload, payload_bytes, content_hash)
), seen AS (
  SELECT request_hash, response FROM idempotency_keys WHERE device_id = $1 AND key = $3
), go AS (
  SELECT NOT EXISTS (SELECT 1 FROM seen)
     AND (SELECT coalesce(max(device_seq), 0) FROM fact_log WHERE device_id = $1) < (SELECT min(device_seq) FROM batch)
     AS ok
), stored AS (
  INSERT INTO fact_log (fact_id, conference_id, device_id, device_seq, type, guest_id, hlc, wall_ms, actor,
                        payload, payload_bytes, content_hash, received_ms)
  SELECT fact_id, $2, $1, device_seq, type, guest_id, hlc, wall_ms, actor, payload::jsonb, payload_bytes,
         content_hash, $4
  FROM batch WHERE (SELECT ok FROM go)
  ORDER BY device_seq
), progress AS (
  -- Counted from 0 only for a device's first push: the branch is not evaluated when its row exists.
  INSERT INTO device_progress AS p (device_id, conference_id, contiguous_seq, pushes, highest_seq)
  SELECT $1, $2, CASE WHEN (SELECT ok FROM go) AND NOT EXISTS (SELECT 1 FROM device_progress WHERE device_id = $1)
    THEN ${advancedFrom('0')} ELSE 0 END, 1, (SELECT max(device_seq) FROM batch)
  ON CONFLICT (device_id) DO UPDATE
    SET contiguous_seq = CASE WHEN (SELECT ok FROM go) THEN ${advancedFrom('p.contiguous_seq')} ELSE p.contiguous_seq END,
        pushes = p.pushes + 1,
        highest_seq = greatest(p.highest_seq, (SELECT max(device_seq) FROM batch))
  RETURNING contiguous_seq, pushes, highest_seq
), others AS (
  SELECT device_id, contiguous_seq FROM device_progress WHERE conference_id = $2 AND device_id <> $1
), kept AS (
  INSERT INTO idempotency_keys (device_id, key, request_hash, response, created_ms)
  SELECT $1, $3, $5, jsonb_build_object(
      'v', 2, 'n', $6::integer, 'others', '[]'::jsonb, 'ackedThrough', contiguous_seq,
      'versionVector', coalesce((SELECT jsonb_object_agg(device_id, contiguous_seq) FROM others), '{}'::jsonb)
        || jsonb_build_object($1::text, contiguous_seq),
      'serverTime', $4::bigint, 'protocol', $7::integer),
    $4
  FROM progress WHERE (SELECT ok FROM go) AND $3 <> ''
), touched AS (
  -- At most once a second, as last contact (devices.ts).
  UPDATE devices SET last_sync_ms = $4 WHERE id = $1 AND last_sync_ms <= $4::bigint - 1000 AND (SELECT ok FROM go)
)
SELECT $1 AS device_id, contiguous_seq, highest_seq, (SELECT ok FROM go) AS ok,
       (SELECT request_hash FROM seen) AS seen_hash, (SELECT response FROM seen) AS seen_response,
       -- In the snapshot, before this statement's own push: one less, unless another push came between.
       pushes - coalesce((SELECT pushes FROM device_progress WHERE device_id = $1), 0) AS pushes_since
FROM progress
UNION ALL SELECT device_id, contiguous_seq, NULL, NULL, NULL, NULL, NULL FROM others`;

/**
 * After a push whose statement waited for another push of its device (device_progress.pushes moved by more
 * than its own) when seqs were sent past the watermark (device_progress.highest_seq): the watermark moved again in a new snapshot, which sees what that push committed (the
 * door's next batch, arrived first), and the key's record given the same figures, so a retry replays this
 * answer. Never moves back (it starts from the row as it is now).
 */
const AFTER_WAIT = `
WITH progress AS (
  UPDATE device_progress AS p SET contiguous_seq = ${advancedFrom('p.contiguous_seq', false)}
  WHERE device_id = $1
  RETURNING contiguous_seq
), others AS (
  SELECT device_id, contiguous_seq FROM device_progress WHERE conference_id = $2 AND device_id <> $1
), kept AS (
  UPDATE idempotency_keys SET response = response || jsonb_build_object(
      'ackedThrough', progress.contiguous_seq,
      'versionVector', coalesce((SELECT jsonb_object_agg(device_id, contiguous_seq) FROM others), '{}'::jsonb)
        || jsonb_build_object($1::text, progress.contiguous_seq))
  FROM progress WHERE device_id = $1 AND key = $3 AND $3 <> ''
)
SELECT $1 AS device_id, contiguous_seq FROM progress
UNION ALL SELECT device_id, contiguous_seq FROM others`;

export type OneStatementOutcome =
  | { kind: 'stored'; response: PushResponse }
  | { kind: 'seen'; requestHash: string; response: KeptAnswer | PushResponse }
  /** Not past everything the device stored: the careful way decides. */
  | { kind: 'not_plain' };

/**
 * Stores `facts` (checked, all of `device`, seqs distinct) with their content hashes in one statement; see
 * ONE_STATEMENT. Throws PostgreSQL's unique violation when it met a row it did not expect.
 */
export async function storeInOneStatement(
  sql: Sql,
  device: DeviceContext,
  facts: readonly Fact[],
  hashes: readonly string[],
  requestHash: string,
  idempotencyKey: string,
  nowMs: number,
): Promise<OneStatementOutcome> {
  const n = facts.length;
  const column = <T>(pick: (f: Fact, i: number) => T): T[] => facts.map(pick);
  const payloads = column((f) => JSON.stringify(f.payload));
  const rows = await sql.query<{
    device_id: string;
    contiguous_seq: number;
    ok: boolean | null;
    seen_hash: string | null;
    seen_response: KeptAnswer | PushResponse | null;
    pushes_since: number | null;
    highest_seq: number | null;
  }>(
    ONE_STATEMENT,
    [
      device.deviceId,
      device.eventId,
      idempotencyKey,
      nowMs,
      requestHash,
      n,
      SYNC_PROTOCOL_VERSION,
      column((f) => f.id),
      column((f) => f.deviceSeq),
      column((f) => f.type),
      column((f) => f.guestId),
      column((f) => f.hlc),
      column((f) => f.wallMs),
      column((f) => f.actor),
      payloads,
      column((f, i) => jsonbTextBytes(f.payload, payloads[i]!)),
      hashes,
    ],
    'push_one_statement',
  );
  const own = rows.find((r) => r.ok !== null)!;
  if (own.seen_hash !== null) return { kind: 'seen', requestHash: own.seen_hash, response: own.seen_response! };
  if (own.ok !== true) return { kind: 'not_plain' };
  let progress: ReadonlyArray<{ device_id: string; contiguous_seq: number }> = rows;
  // Another push of the device came between this statement's snapshot and its lock, and seqs were sent past
  // the watermark: some may be stored unseen (in order, the batch before this one, nothing is past it).
  if (Number(own.pushes_since) !== 1 && Number(own.highest_seq) > Number(own.contiguous_seq)) {
    progress = await sql.query(AFTER_WAIT, [device.deviceId, device.eventId, idempotencyKey], 'push_after_wait');
  }
  return {
    kind: 'stored',
    response: {
      protocol: SYNC_PROTOCOL_VERSION,
      results: facts.map((f) => ({ id: f.id, status: 'stored', reason: '' })),
      ackedThrough: Number(progress.find((r) => r.device_id === device.deviceId)!.contiguous_seq),
      versionVector: Object.fromEntries(progress.map((r) => [r.device_id, Number(r.contiguous_seq)])),
      serverTime: nowMs,
    },
  };
}
