import type { EventPackage, EventStats } from '../../shared/sync/protocol.ts';
import type { Sql } from './sql.ts';

/** Organisers' events: the package (roster, forums, public keys) kiosks download, with a revision. */
export async function publishEvent(sql: Sql, pkg: EventPackage, nowMs: number): Promise<number> {
  const rows = await sql.query<{ revision: number }>(
    `INSERT INTO events (id, name, package, revision, updated_ms) VALUES ($1, $2, $3, 1, $4)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, package = excluded.package,
       revision = events.revision + 1, updated_ms = excluded.updated_ms
     RETURNING revision`,
    [pkg.event.id, pkg.event.name.en || pkg.event.name.zh, JSON.stringify(pkg), nowMs],
  );
  return rows[0]!.revision;
}

export async function readPackage(
  sql: Sql,
  eventId: string,
): Promise<{ revision: number; package: EventPackage } | null> {
  const rows = await sql.query<{ revision: number; package: EventPackage }>(
    `SELECT revision, package FROM events WHERE id = $1`,
    [eventId],
  );
  return rows[0] ?? null;
}

export async function packageRevision(sql: Sql, eventId: string): Promise<number> {
  const rows = await sql.query<{ revision: number }>(`SELECT revision FROM events WHERE id = $1`, [eventId]);
  return rows[0]?.revision ?? 0;
}

export async function listEvents(sql: Sql): Promise<Array<{ id: string; name: string; revision: number }>> {
  return sql.query(`SELECT id, name, revision FROM events ORDER BY updated_ms DESC`, []);
}

/**
 * Live check-ins of the event: check_in facts no check_in_void names. Shared by stats and the page.
 * The same OR-set rule as the kiosks (R11, R12): a void removes exactly the check-in it names.
 */
export const LIVE_CHECKINS = `
  SELECT l.fact_id::text AS fact_id, l.guest_id, l.device_id, l.hlc, l.wall_ms, l.payload->>'door' AS door
  FROM fact_log l
  WHERE l.conference_id = $1 AND l.type = 'check_in'
    AND NOT EXISTS (SELECT 1 FROM fact_log v WHERE v.conference_id = $1 AND v.type = 'check_in_void'
                    AND v.payload->>'voids' = l.fact_id::text)`;

export async function eventStats(sql: Sql, eventId: string): Promise<EventStats | null> {
  const pkg = await sql.query<{ guests: number }>(
    `SELECT jsonb_array_length(package->'guests') AS guests FROM events WHERE id = $1`,
    [eventId],
  );
  if (pkg.length === 0) return null;
  const [row] = await sql.query<{
    walk_ins: number;
    checked_in: number;
    check_ins: number;
    voided: number;
    duplicates: number;
    devices: number;
    facts: number;
  }>(
    `WITH live AS (${LIVE_CHECKINS})
     SELECT
       -- Walk-ins the package does not list yet (a republished package already carries synced ones).
       (SELECT count(DISTINCT l.guest_id) FROM fact_log l WHERE l.conference_id = $1 AND l.type = 'walk_in'
          AND NOT EXISTS (SELECT 1 FROM events e, jsonb_array_elements(e.package->'guests') g
                          WHERE e.id = $1 AND g->>'id' = l.guest_id))::int AS walk_ins,
       (SELECT count(DISTINCT guest_id) FROM live)::int AS checked_in,
       (SELECT count(*) FROM fact_log WHERE conference_id = $1 AND type = 'check_in')::int AS check_ins,
       (SELECT count(*) FROM fact_log WHERE conference_id = $1 AND type = 'check_in_void')::int AS voided,
       (SELECT count(*) FROM (SELECT guest_id FROM live GROUP BY guest_id HAVING count(*) > 1) d)::int AS duplicates,
       (SELECT count(*) FROM devices WHERE event_id = $1 AND NOT revoked)::int AS devices,
       (SELECT count(*) FROM fact_log WHERE conference_id = $1)::int AS facts`,
    [eventId],
  );
  return {
    eventId,
    guests: Number(pkg[0]!.guests) + row!.walk_ins,
    checkedIn: row!.checked_in,
    checkIns: row!.check_ins,
    voided: row!.voided,
    duplicates: row!.duplicates,
    devices: row!.devices,
    facts: row!.facts,
  };
}
