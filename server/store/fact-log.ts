import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/sync/canonical.ts';
import type { Fact } from '../../shared/sync/fact-schema.ts';
import {
  MAX_PULL_BYTES,
  SYNC_PROTOCOL_VERSION,
  type PullResponse,
  type VersionVector,
} from '../../shared/sync/protocol.ts';
import { factFromRow, type FactRow } from './fact-rows.ts';
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
export function contentHash(fact: Fact): string {
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
 * A row's payload bytes for the page budget: counted by whoever writes it (pushFacts, a hub's
 * bring-back); a row without its count (0) is measured here.
 */
const BYTES = `CASE WHEN payload_bytes > 0 THEN payload_bytes ELSE octet_length(payload::text) END`;

interface LogRow extends Omit<FactRow, 'payload'> {
  seq: number;
  txid_text: string;
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
              sum(${BYTES}) OVER (ORDER BY txid, seq) - ${BYTES} AS bytes_before
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
    ...factFromRow({ ...r, payload: r.payload ?? {} }), // never null within the page (see `fitting`)
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
