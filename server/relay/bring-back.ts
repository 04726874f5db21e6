import { checkFact, type Fact } from '../../shared/sync/fact-schema.ts';
import type { PulledPage } from '../../shared/sync/protocol.ts';
import { publishEvent } from '../store/events.ts';
import { contentHash } from '../store/fact-log.ts';
import type { Sql } from '../store/sql.ts';
import type { RelayClient } from './client.ts';

/**
 * Bringing back: everything else the central server holds for the event — other hubs' and directly
 * paired doors' facts — into the hub's own log, unchanged (device id, sequence, HLC), where the hub's
 * kiosks pull it as they pull each other's. Each page and the cursor after it commit in one transaction
 * (R8); the log's uniqueness (R5) makes a page seen twice change nothing. A fact that fails its schema
 * here is kept out and raised as an alert on the hub, and the pull carries on.
 */
const PAGE = 1000;

/** Settings keys on the hub: per event, so a hub linked for another event starts over. */
const cursorKey = (eventId: string) => `relay_cursor:${eventId}`;
const revisionKey = (eventId: string) => `relay_package_revision:${eventId}`;

async function setting(sql: Sql, key: string): Promise<string | null> {
  const rows = await sql.query<{ value: string }>(`SELECT value FROM settings WHERE key = $1`, [key]);
  return rows[0]?.value ?? null;
}

async function saveSetting(sql: Sql, key: string, value: string): Promise<void> {
  await sql.query(
    `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [key, value],
  );
}

function checked(page: PulledPage): { facts: Fact[]; refused: Array<{ id: string; deviceId: string; code: string }> } {
  const facts: Fact[] = [];
  const refused: Array<{ id: string; deviceId: string; code: string }> = [];
  for (const item of page.facts) {
    const { receivedAt, ...body } = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    // The skew rule against the time the central server received it, as a kiosk checks a pulled fact.
    const check = checkFact(body, Number.isSafeInteger(receivedAt) ? (receivedAt as number) : page.serverTime);
    if (check.ok) facts.push(check.fact);
    else refused.push({ id: check.id, deviceId: check.deviceId, code: check.code });
  }
  return { facts, refused };
}

/** Stores one page and the cursor after it; returns how many facts were new here. */
async function storePage(sql: Sql, eventId: string, page: PulledPage, nowMs: number): Promise<number> {
  const { facts, refused } = checked(page);
  const rows = facts.map((f) => ({
    fact_id: f.id,
    device_id: f.deviceId,
    device_seq: f.deviceSeq,
    type: f.type,
    guest_id: f.guestId,
    hlc: f.hlc,
    wall_ms: f.wallMs,
    actor: f.actor,
    payload: f.payload,
    content_hash: contentHash(f),
  }));
  return sql.transaction(async (tx) => {
    const inserted = await tx.query<{ fact_id: string }>(
      `INSERT INTO fact_log (fact_id, conference_id, device_id, device_seq, type, guest_id, hlc, wall_ms, actor,
                             payload, payload_bytes, content_hash, received_ms)
       SELECT r.fact_id, $2, r.device_id, r.device_seq, r.type, r.guest_id, r.hlc, r.wall_ms, r.actor, r.payload,
              octet_length(r.payload::text), r.content_hash, $3
       FROM jsonb_to_recordset($1::jsonb) AS r(fact_id uuid, device_seq bigint, device_id text, guest_id text,
            type text, hlc text, wall_ms bigint, actor text, payload jsonb, content_hash text)
       ON CONFLICT DO NOTHING
       RETURNING fact_id::text`,
      [JSON.stringify(rows), eventId, nowMs],
    );
    const isNew = new Set(inserted.map((r) => r.fact_id));
    // Not new: held already, as it is (a page seen again) — or clashing with what the hub holds under that
    // id or (device, seq), which an honest system never produces: raised, never overwritten.
    const seen = rows.filter((r) => !isNew.has(r.fact_id));
    const clashes: Array<{ id: string; deviceId: string; code: string }> = [...refused];
    if (seen.length > 0) {
      const held = await tx.query<{ fact_id: string; content_hash: string }>(
        `SELECT fact_id::text, content_hash FROM fact_log WHERE fact_id = ANY($1::uuid[])`,
        [seen.map((r) => r.fact_id)],
      );
      const heldHash = new Map(held.map((h) => [h.fact_id, h.content_hash]));
      for (const r of seen) {
        const hash = heldHash.get(r.fact_id);
        if (hash !== r.content_hash) {
          clashes.push({
            id: r.fact_id,
            deviceId: r.device_id,
            code: hash === undefined ? 'seq_conflict' : 'id_reuse',
          });
        }
      }
    }
    if (clashes.length > 0) {
      await tx.query(
        `INSERT INTO alerts (conference_id, kind, device_id, fact_id, detail, created_ms)
         SELECT $2, c.code, c.device_id, c.id, jsonb_build_object('from', 'central'), $3
         FROM jsonb_to_recordset($1::jsonb) AS c(id text, device_id text, code text)`,
        [JSON.stringify(clashes.map((c) => ({ id: c.id, device_id: c.deviceId, code: c.code }))), eventId, nowMs],
      );
    }
    await saveSetting(tx, cursorKey(eventId), page.cursor);
    // R9: the central server acknowledging less of one of our devices than it did (restored from a backup)
    // sends its facts again from there.
    await tx.query(
      `UPDATE relay_positions p SET sent_through = v.seq, central_acked = v.seq
       FROM (SELECT d.id, coalesce((($1::jsonb) ->> d.id)::bigint, 0) AS seq FROM devices d WHERE d.event_id = $2) v
       WHERE p.device_id = v.id AND v.seq < p.central_acked`,
      [JSON.stringify(page.versionVector), eventId],
    );
    return isNew.size;
  });
}

/**
 * A newer package on the central server (the organiser published again: guests added, keys rotated)
 * becomes the hub's package, so its kiosks fetch it as they would from the central server. The first
 * revision seen is only noted: the hub already serves the event's package.
 */
async function followPackage(sql: Sql, client: RelayClient, eventId: string, revision: number, nowMs: number) {
  const known = await setting(sql, revisionKey(eventId));
  if (known !== null && revision <= Number(known)) return;
  if (known !== null) {
    const pkg = await client.package();
    if (pkg.package.event.id === eventId) await publishEvent(sql, pkg.package, nowMs);
  }
  await saveSetting(sql, revisionKey(eventId), String(revision));
}

/** Pulls pages until the central server has nothing more; returns how many facts were new to the hub. */
export async function bringBackAll(sql: Sql, client: RelayClient, eventId: string, now: () => number): Promise<number> {
  let cursor = (await setting(sql, cursorKey(eventId))) ?? '';
  let added = 0;
  for (;;) {
    const page = await client.pull(cursor, PAGE);
    await followPackage(sql, client, eventId, page.packageRevision, now());
    added += await storePage(sql, eventId, page, now());
    cursor = page.cursor;
    if (!page.hasMore) return added;
  }
}
