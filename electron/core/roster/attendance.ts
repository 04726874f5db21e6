import type { Database } from 'better-sqlite3';
import { guestColumns, isoInZone, type AttendanceRow } from '../../../shared/roster/export/attendance.ts';
import { guestFields, guestFieldsSql, type GuestFieldsRow } from '../guests/row.ts';
import { liveCheckinsOf } from '../checkin/checkin-row.ts';

interface Row extends GuestFieldsRow {
  codes: string | null;
  live: number | null;
  first_ms: number | null;
  first_door: string | null;
  first_actor: string | null;
  first_device: string | null;
  other_device_live: number;
  voided: number;
  forum_assigned: string | null;
  forums_attended: string | null;
}

export function attendanceRows(db: Database, timeZone: string, forumId: string): AttendanceRow[] {
  // Attendance derived from each guest's live check-ins (migration 23); the arrival is the earliest.
  const arrival = `${liveCheckinsOf('g.id')} ORDER BY c.hlc, c.fact_id LIMIT 1`;
  const rows = db
    .prepare(
      `SELECT ${guestFieldsSql('g')},
              (SELECT group_concat(code, ' ') FROM guest_codes WHERE guest_id = g.id) AS codes,
              (SELECT nullif(count(*), 0) ${liveCheckinsOf('g.id')}) AS live,
              (SELECT c.wall_ms ${arrival}) AS first_ms,
              (SELECT c.door ${arrival}) AS first_door,
              (SELECT c.device_id ${arrival}) AS first_device,
              (SELECT e.actor FROM facts e WHERE e.id = (SELECT c.fact_id ${arrival})) AS first_actor,
              (SELECT count(*) ${liveCheckinsOf('g.id', 'o')}
                 AND o.device_id != coalesce((SELECT c.device_id ${arrival}), '')) AS other_device_live,
              (SELECT count(*) FROM checkin_voids v, checkins c WHERE c.guest_id = g.id AND v.checkin_fact_id = c.fact_id) AS voided,
              (SELECT forum_id FROM guest_forum WHERE guest_id = g.id) AS forum_assigned,
              (SELECT group_concat(DISTINCT forum_id) FROM forum_entries WHERE guest_id = g.id AND direction = 'in') AS forums_attended
       FROM settled_guests g ORDER BY g.display_name, g.id`,
    )
    .all() as Row[];
  const out: AttendanceRow[] = [];
  for (const r of rows) {
    if (forumId !== '' && r.forum_assigned !== forumId && !(r.forums_attended ?? '').split(',').includes(forumId))
      continue;
    const time = r.first_ms === null ? null : isoInZone(r.first_ms, timeZone);
    const g = guestFields(r);
    out.push({
      ...guestColumns(g),
      codes: r.codes ?? '',
      checkedIn: r.live !== null,
      firstArrival: time?.iso ?? '',
      firstArrivalLocal: time?.local ?? null,
      door: r.first_door ?? '',
      checkedInBy: r.first_actor ?? '',
      checkinCount: r.live ?? 0,
      duplicates: r.other_device_live,
      voided: r.voided,
      forumAssigned: r.forum_assigned ?? '',
      forumsAttended: (r.forums_attended ?? '').split(',').filter(Boolean).join(', '),
    });
  }
  return out;
}
