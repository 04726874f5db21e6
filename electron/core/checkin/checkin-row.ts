import type { Checkin } from '../../../shared/domain.ts';

/** A check-in as its row reads (checkins, with whether it was undone), and as the screens see it. */
export interface CheckinRow {
  fact_id: string;
  guest_id: string;
  device_id: string;
  door: string;
  method: Checkin['method'];
  hlc: string;
  wall_ms: number;
  voided: number;
}

export function toCheckin(row: CheckinRow): Checkin {
  return {
    id: row.fact_id,
    guestId: row.guest_id,
    deviceId: row.device_id,
    door: row.door,
    method: row.method,
    hlc: row.hlc,
    at: new Date(row.wall_ms).toISOString(),
    voided: row.voided === 1,
  };
}

/** A CheckinRow's columns of the check-ins aliased `c`. */
export const CHECKIN_COLUMNS = `
  SELECT c.fact_id, c.guest_id, c.device_id, c.door, c.method, c.hlc, c.wall_ms,
         EXISTS (SELECT 1 FROM checkin_voids v WHERE v.checkin_fact_id = c.fact_id) AS voided`;

export const CHECKIN_SELECT = `${CHECKIN_COLUMNS} FROM checkins c`;

/**
 * A guest's live (unvoided) check-ins, as the FROM and WHERE of a query: `guest` is the SQL of their id (a
 * parameter or a correlated column), `c` the check-ins' alias. Their range of `checkins_by_guest`, in
 * (hlc, fact_id) order, so `ORDER BY c.hlc, c.fact_id LIMIT 1` is the arrival without a sort. Readers of
 * one guest use this, not the `attendance` view (migration 23), which SQLite would compute for every guest.
 */
export function liveCheckinsOf(guest: string, c = 'c'): string {
  return `FROM checkins ${c} WHERE ${c}.guest_id = ${guest}
          AND NOT EXISTS (SELECT 1 FROM checkin_voids WHERE checkin_voids.checkin_fact_id = ${c}.fact_id)`;
}

/**
 * The guests with a live check-in, one row each (`guest_id`, and `live`: how many), for readers of the
 * whole roster (counts, duplicates, forum arrivals): checkins_by_guest read in order, no arrival computed
 * (the `attendance` view's first_fact_id costs a string per check-in).
 */
export const GUESTS_IN = `
  SELECT c.guest_id, count(*) AS live FROM checkins c
  WHERE NOT EXISTS (SELECT 1 FROM checkin_voids v WHERE v.checkin_fact_id = c.fact_id)
  GROUP BY c.guest_id`;
