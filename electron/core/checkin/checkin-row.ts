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

export const CHECKIN_SELECT = `
  SELECT c.fact_id, c.guest_id, c.device_id, c.door, c.method, c.hlc, c.wall_ms,
         EXISTS (SELECT 1 FROM checkin_voids v WHERE v.checkin_fact_id = c.fact_id) AS voided
  FROM checkins c`;
