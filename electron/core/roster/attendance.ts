import type { Database } from 'better-sqlite3';
import {
  attendanceOf,
  otherDeviceCheckins,
  type Attendance,
  type CheckinDot,
} from '../../../shared/projection/attendance.ts';
import { guestColumns, isoInZone, type AttendanceRow } from '../../../shared/roster/export/attendance.ts';
import { guestFields, guestFieldsSql, type GuestFieldsRow } from '../guests/row.ts';

interface Row extends GuestFieldsRow {
  codes: string | null;
  forum_assigned: string | null;
  forums_attended: string | null;
}

interface CheckinRow {
  fact_id: string;
  guest_id: string;
  device_id: string;
  door: string;
  method: CheckinDot['method'];
  actor: string;
  hlc: string;
  wall_ms: number;
  voided: number;
}

/**
 * Every guest's attendance in one pass over the check-ins (in checkins_by_guest's order), folded by the
 * shared rule (shared/projection/attendance.ts, as the server's export folds its log): live check-ins, the
 * earliest the arrival, the other devices' live ones, the voided. Attendance is derived, not stored
 * (migration 23); asking it per guest in the roster's query cost ~7 index probes per guest.
 */
function attendanceByGuest(db: Database): Map<string, Attendance> {
  const rows = db
    .prepare(
      `SELECT c.fact_id, c.guest_id, c.device_id, c.door, c.method, f.actor, c.hlc, c.wall_ms,
              EXISTS (SELECT 1 FROM checkin_voids v WHERE v.checkin_fact_id = c.fact_id) AS voided
       FROM checkins c JOIN facts f ON f.id = c.fact_id
       ORDER BY c.guest_id`,
    )
    .all() as CheckinRow[];
  const byGuest = new Map<string, Attendance>();
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i < rows.length && rows[i]!.guest_id === rows[start]!.guest_id) continue;
    const dots: CheckinDot[] = [];
    const voidedIds = new Set<string>();
    for (const r of rows.slice(start, i)) {
      const { fact_id: factId, guest_id: guestId, device_id: deviceId, door, method, actor, hlc, wall_ms: wallMs } = r;
      dots.push({ factId, guestId, deviceId, door, method, actor, hlc, wallMs });
      if (r.voided === 1) voidedIds.add(factId);
    }
    byGuest.set(
      rows[start]!.guest_id,
      attendanceOf(dots, (d) => voidedIds.has(d.factId)),
    );
    start = i;
  }
  return byGuest;
}

export function attendanceRows(db: Database, timeZone: string, forumId: string): AttendanceRow[] {
  const attendance = attendanceByGuest(db);
  const rows = db
    .prepare(
      `SELECT ${guestFieldsSql('g')},
              (SELECT group_concat(code, ' ') FROM guest_codes WHERE guest_id = g.id) AS codes,
              (SELECT forum_id FROM guest_forum WHERE guest_id = g.id) AS forum_assigned,
              (SELECT group_concat(DISTINCT forum_id) FROM forum_entries WHERE guest_id = g.id AND direction = 'in') AS forums_attended
       FROM settled_guests g ORDER BY g.display_name, g.id`,
    )
    .all() as Row[];
  const out: AttendanceRow[] = [];
  for (const r of rows) {
    if (forumId !== '' && r.forum_assigned !== forumId && !(r.forums_attended ?? '').split(',').includes(forumId))
      continue;
    const a = attendance.get(r.id);
    const first = a?.arrival ?? null;
    const time = first === null ? null : isoInZone(first.wallMs, timeZone);
    const g = guestFields(r);
    out.push({
      ...guestColumns(g),
      codes: r.codes ?? '',
      checkedIn: first !== null,
      firstArrival: time?.iso ?? '',
      firstArrivalLocal: time?.local ?? null,
      door: first?.door ?? '',
      checkedInBy: first?.actor ?? '',
      checkinCount: a?.live.length ?? 0,
      duplicates: a === undefined ? 0 : otherDeviceCheckins(a),
      voided: a?.voided ?? 0,
      forumAssigned: r.forum_assigned ?? '',
      forumsAttended: (r.forums_attended ?? '').split(',').filter(Boolean).join(', '),
    });
  }
  return out;
}
