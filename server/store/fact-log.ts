import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/sync/canonical.ts';
import type { FactCheck, Fact } from '../../shared/sync/fact-schema.ts';
import {
  MAX_PULL_BYTES,
  SYNC_PROTOCOL_VERSION,
  type FactOutcome,
  type PullResponse,
  type PushResponse,
  type SyncFact,
  type VersionVector,
} from '../../shared/sync/protocol.ts';
import type { Sql } from './sql.ts';

/** The device a request is authenticated as (see auth.ts). */
export interface DeviceContext {
  deviceId: string;
  eventId: string;
}

/**
 * Hash over everything a fact says, so a reused id with a different body is caught (R5). Only ever
 * called on a checked fact: its nesting is bounded, so canonical JSON cannot overflow the stack.
 */
export function contentHash(fact: SyncFact | Fact): string {
  return createHash('sha256').update(canonicalJson(fact)).digest('hex');
}

/** A position in commit order: the writing transaction's id, then the row's sequence number. */
interface Cursor {
  txid: string;
  seq: number;
  factId: string;
  /**
   * When the server stored that row. After a restore from a backup, a re-pushed fact can land at the
   * very same (txid, seq) it had before while the rows in front of it differ; its new received time
   * tells the two rows apart, so such a cursor is refused and the kiosk reads the log again.
   */
  receivedMs: number;
}

const START: Cursor = { txid: '0', seq: 0, factId: '', receivedMs: 0 };

/** Opaque to kiosks. It names the last fact delivered, so a cursor from before a restore is detected. */
function encodeCursor(cursor: Cursor): string {
  return Buffer.from(
    JSON.stringify({ v: 3, x: cursor.txid, s: cursor.seq, e: cursor.factId, r: cursor.receivedMs }),
  ).toString('base64url');
}

function decodeCursor(text: string): Cursor | null {
  if (text === '') return START;
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { x, s, e, r } = parsed;
    if (parsed['v'] !== 3 || !Number.isSafeInteger(s) || !Number.isSafeInteger(r) || typeof e !== 'string') return null;
    if (typeof x !== 'string' || !/^\d{1,20}$/.test(x)) return null;
    return { txid: x, seq: s as number, factId: e, receivedMs: r as number };
  } catch {
    return null;
  }
}

export async function versionVector(sql: Sql, eventId: string): Promise<VersionVector> {
  const rows = await sql.query<{ device_id: string; contiguous_seq: number }>(
    `SELECT device_id, contiguous_seq FROM device_progress WHERE conference_id = $1`,
    [eventId],
  );
  return Object.fromEntries(rows.map((r) => [r.device_id, Number(r.contiguous_seq)]));
}

/**
 * Moves the device's contiguous watermark over every seq now present right after it — stored, or refused
 * by its schema (the kiosk keeps and lists a refused fact; sending it again would change nothing).
 */
async function advanceProgress(tx: Sql, device: DeviceContext): Promise<number> {
  const rows = await tx.query<{ contiguous_seq: number }>(
    `SELECT contiguous_seq FROM device_progress WHERE device_id = $1`,
    [device.deviceId],
  );
  let through = rows.length === 0 ? 0 : Number(rows[0]!.contiguous_seq);
  for (;;) {
    const next = await tx.query<{ device_seq: number }>(
      `SELECT device_seq FROM (
         SELECT device_seq FROM fact_log WHERE device_id = $1 AND device_seq > $2
         UNION SELECT device_seq FROM refused_facts WHERE device_id = $1 AND device_seq > $2
       ) s ORDER BY device_seq LIMIT 2000`,
      [device.deviceId, through],
    );
    let moved = 0;
    for (const r of next) {
      if (Number(r.device_seq) !== through + 1) break;
      through += 1;
      moved += 1;
    }
    if (moved < 2000) break;
  }
  await tx.query(
    `INSERT INTO device_progress (device_id, conference_id, contiguous_seq) VALUES ($1, $2, $3)
     ON CONFLICT (device_id) DO UPDATE SET contiguous_seq = excluded.contiguous_seq`,
    [device.deviceId, device.eventId, through],
  );
  return through;
}

export type PushOutcome = { kind: 'ok'; response: PushResponse; stored: number } | { kind: 'key_reused' };

/**
 * Stores a batch exactly once (R5, R6). One transaction: the idempotency record, the facts, the
 * watermark. Pushes of different kiosks run concurrently; pulls follow commit order (see pullFacts).
 */
export async function pushFacts(
  sql: Sql,
  device: DeviceContext,
  checked: readonly FactCheck[],
  idempotencyKey: string,
  nowMs: number,
): Promise<PushOutcome> {
  const facts = checked.flatMap((c) => (c.ok ? [c.fact] : []));
  const refused = checked.flatMap((c) => (c.ok ? [] : [c]));
  const hashes = facts.map(contentHash);
  const hashOf = new Map(facts.map((e, i) => [e, hashes[i]!]));
  // The request's identity for its Idempotency-Key: the facts' own hashes, in order (each is hashed once);
  // a refused fact counts by its id and why it was refused (its body may be too deep to hash).
  const requestHash = createHash('sha256')
    .update(checked.map((c) => (c.ok ? hashOf.get(c.fact)! : `refused:${c.code}:${c.id}`)).join(','))
    .digest('hex');
  const own = facts.filter((e) => e.deviceId === device.deviceId);
  const rows = own.map((e) => ({
    fact_id: e.id,
    device_id: e.deviceId,
    device_seq: e.deviceSeq,
    type: e.type,
    guest_id: e.guestId,
    hlc: e.hlc,
    wall_ms: e.wallMs,
    actor: e.actor,
    payload: e.payload,
    content_hash: hashOf.get(e)!,
  }));
  return sql.transaction(async (tx) => {
    // One push per device at a time (a retry racing its own first attempt, or pipelined batches): the
    // device's watermark row is locked until COMMIT, so the watermark never moves backwards and an
    // Idempotency-Key is checked after the other attempt has committed. Other devices are not held up.
    await tx.query(
      `INSERT INTO device_progress (device_id, conference_id, contiguous_seq) VALUES ($1, $2, 0)
       ON CONFLICT (device_id) DO NOTHING`,
      [device.deviceId, device.eventId],
    );
    await tx.query(`SELECT 1 FROM device_progress WHERE device_id = $1 FOR UPDATE`, [device.deviceId]);
    if (idempotencyKey !== '') {
      const seen = await tx.query<{ request_hash: string; response: PushResponse }>(
        `SELECT request_hash, response FROM idempotency_keys WHERE device_id = $1 AND key = $2`,
        [device.deviceId, idempotencyKey],
      );
      if (seen.length > 0) {
        if (seen[0]!.request_hash !== requestHash) return { kind: 'key_reused' } as const;
        return { kind: 'ok', response: seen[0]!.response, stored: 0 } as const;
      }
    }
    // One statement for the whole batch; ON CONFLICT DO NOTHING covers both unique keys, and what was
    // not inserted is classified below (duplicate, id reuse, seq conflict).
    const inserted =
      rows.length === 0
        ? []
        : await tx.query<{ fact_id: string }>(
            `INSERT INTO fact_log (fact_id, conference_id, device_id, device_seq, type, guest_id, hlc, wall_ms,
                                    actor, payload, content_hash, received_ms)
             SELECT x.fact_id, $2, x.device_id, x.device_seq, x.type, x.guest_id, x.hlc, x.wall_ms, x.actor,
                    x.payload, x.content_hash, $3
             FROM jsonb_to_recordset($1::jsonb) AS x(fact_id uuid, device_id text, device_seq bigint, type text,
                  guest_id text, hlc text, wall_ms bigint, actor text, payload jsonb, content_hash text)
             ORDER BY x.device_seq
             ON CONFLICT DO NOTHING
             RETURNING fact_id::text`,
            [JSON.stringify(rows), device.eventId, nowMs],
          );
    const insertedIds = new Set(inserted.map((r) => r.fact_id));
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
    const ackedThrough = await advanceProgress(tx, device);
    await tx.query(`UPDATE devices SET last_sync_ms = $2 WHERE id = $1`, [device.deviceId, nowMs]);
    const response: PushResponse = {
      protocol: SYNC_PROTOCOL_VERSION,
      results: ordered,
      ackedThrough,
      versionVector: await versionVector(tx, device.eventId),
      serverTime: nowMs,
    };
    if (idempotencyKey !== '') {
      await tx.query(
        // A concurrent retry of the same request may have stored it first; either answer is the same.
        `INSERT INTO idempotency_keys (device_id, key, request_hash, response, created_ms) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (device_id, key) DO NOTHING`,
        [device.deviceId, idempotencyKey, requestHash, JSON.stringify(response), nowMs],
      );
    }
    return { kind: 'ok', response, stored: insertedIds.size } as const;
  });
}

interface LogRow {
  seq: number;
  txid_text: string;
  fact_id: string;
  device_id: string;
  device_seq: number;
  type: SyncFact['type'];
  guest_id: string;
  hlc: string;
  wall_ms: number;
  actor: string;
  /** Null past the page's byte budget. */
  payload: Record<string, unknown> | null;
  received_ms: number;
}

/**
 * One page of the event's log after `cursorText`, in commit order (R8): only rows whose transaction is
 * below the snapshot's xmin — every transaction that could still commit "before" them has ended — in
 * (txid, seq) order. A push that commits late therefore appears after the cursor, never behind it.
 */
export async function pullFacts(
  sql: Sql,
  eventId: string,
  cursorText: string,
  limit: number,
  packageRevision: number,
  nowMs: number,
): Promise<PullResponse> {
  let cursor = decodeCursor(cursorText);
  let reset = false;
  if (cursor !== null && cursor.seq > 0) {
    const at = await sql.query<{ fact_id: string; received_ms: number }>(
      `SELECT fact_id::text, received_ms FROM fact_log WHERE seq = $1 AND conference_id = $2 AND txid = $3::xid8`,
      [cursor.seq, eventId, cursor.txid],
    );
    if (at[0]?.fact_id !== cursor.factId || Number(at[0]?.received_ms) !== cursor.receivedMs) cursor = null;
  }
  if (cursor === null) {
    // Unknown or stale (a restored server): start over; applying on the kiosk is idempotent.
    cursor = START;
    reset = true;
  }
  const rows = await sql.query<LogRow>(
    // The text form gets its own name: `ORDER BY txid` must sort the xid8, not its digits ("800" > "1009").
    // Rows past the byte budget come back without their payload: they only tell that there is more.
    `SELECT seq, txid_text, fact_id, device_id, device_seq, type, guest_id, hlc, wall_ms, actor,
            CASE WHEN bytes_before < $5 THEN payload END AS payload, received_ms
     FROM (
       SELECT seq, txid, txid::text AS txid_text, fact_id::text, device_id, device_seq, type, guest_id, hlc, wall_ms,
              actor, payload, received_ms,
              sum(payload_bytes) OVER (ORDER BY txid, seq) - payload_bytes AS bytes_before
       FROM fact_log
       WHERE conference_id = $1 AND (txid, seq) > ($2::xid8, $3::bigint)
         AND txid < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY txid, seq LIMIT $4
     ) page
     ORDER BY page.txid, seq`,
    [eventId, cursor.txid, cursor.seq, limit + 1, MAX_PULL_BYTES],
  );
  // The first row always fits (bytes_before = 0), so a page is never empty while rows remain.
  const fitting = rows.findIndex((r) => r.payload === null);
  const page = rows.slice(0, Math.min(limit, fitting === -1 ? rows.length : fitting));
  // As stored: each kiosk checks every fact before applying it (rows stored before facts were checked
  // may not pass).
  const facts = page.map((r) => ({
    id: r.fact_id,
    deviceId: r.device_id,
    deviceSeq: Number(r.device_seq),
    type: r.type,
    guestId: r.guest_id,
    hlc: r.hlc,
    wallMs: Number(r.wall_ms),
    actor: r.actor,
    payload: r.payload ?? {}, // never null within the page (see `fitting`)
    receivedAt: Number(r.received_ms),
  }));
  const last = page[page.length - 1];
  return {
    protocol: SYNC_PROTOCOL_VERSION,
    facts,
    cursor: encodeCursor(
      last === undefined
        ? cursor
        : { txid: last.txid_text, seq: Number(last.seq), factId: last.fact_id, receivedMs: Number(last.received_ms) },
    ),
    hasMore: rows.length > page.length,
    reset,
    versionVector: await versionVector(sql, eventId),
    packageRevision,
    serverTime: nowMs,
  };
}
