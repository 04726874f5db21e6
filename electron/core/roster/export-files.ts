import type { Database } from 'better-sqlite3';
import { strToU8 } from 'fflate';
import type { EventInfo } from '../../../shared/domain.ts';
import { isoInZone, type AttendanceRow } from '../../../shared/roster/export/attendance.ts';
import { attendanceCsv, attendanceXlsx as attendanceXlsxWith } from '../../../shared/roster/export/files.ts';
import type { ExportLocale } from '../../../shared/roster/export/labels.ts';
import { zipFiles } from './zip.ts';

/** The kiosk's attendance files: the shared writers (shared/roster/export/) on Node's native deflate. */

export function attendanceXlsx(
  rows: readonly AttendanceRow[],
  event: EventInfo,
  locale: ExportLocale | null = null,
): Uint8Array {
  return attendanceXlsxWith(rows, event, zipFiles, locale);
}

interface EventRow {
  id: string;
  device_id: string;
  device_seq: number;
  type: string;
  guest_id: string;
  hlc: string;
  wall_ms: number;
  actor: string;
  payload: string;
}

/** Every event of the log: device, HLC, the device's original time, and when this kiosk received it. */
export function eventsJson(db: Database, timeZone: string): Uint8Array {
  const events = (db.prepare(`SELECT * FROM facts ORDER BY hlc`).all() as EventRow[]).map((e) => ({
    id: e.id,
    type: e.type,
    deviceId: e.device_id,
    deviceSeq: e.device_seq,
    guestId: e.guest_id,
    hlc: e.hlc,
    originalTime: isoInZone(e.wall_ms, timeZone).iso,
    // Written on this kiosk: received when it happened. Synced events will carry the server's time.
    receivedTime: isoInZone(e.wall_ms, timeZone).iso,
    actor: e.actor,
    payload: JSON.parse(e.payload) as unknown,
  }));
  return strToU8(JSON.stringify({ events }, null, 2));
}

const README = `Lanyard attendance export
=========================

attendance.csv   UTF-8 with BOM, comma-separated, one row per guest. Cells that a spreadsheet could read as
                 a formula (starting with = + - @ or a tab/CR/LF) carry a leading apostrophe.
attendance.xlsx  The same data with sheets Attendance, No-shows, Walk-ins, one per sub-forum, and Summary.
events.json      Every event of this kiosk's log: type, device id and sequence, hybrid logical clock (HLC),
                 the device's original time and the time it was received.

Columns
-------
Guest ID                        Lanyard's id for the guest.
Name / Family / Given name      As registered; Chinese, Japanese and Korean names family-first as written.
Native script name, Latin name  The name in its own script and its transcription, when known.
Codes                           Scannable codes (badge, ticket), space-separated.
Registration status             active, cancelled, blocked, or removed (missing from the latest roster import).
Walk-in                         yes if registered at the door.
Checked in                      yes if the guest has at least one check-in that was not undone.
First arrival                   Time of the earliest check-in (by hybrid logical clock), ISO 8601 with the
                                event's UTC offset.
Door                            Door (device) of the first arrival.
Check-ins                       Check-ins that were not undone.
Duplicate check-ins             Check-ins at other doors after the first (the same badge admitted twice).
Voided check-ins                Check-ins undone by staff (kept in the log, not counted).
Sub-forum assigned / attended   The sub-forum assigned, and the rooms the guest was scanned into.
`;

export async function attendanceBundle(
  db: Database,
  rows: readonly AttendanceRow[],
  event: EventInfo,
): Promise<Uint8Array> {
  return zipFiles(
    {
      'attendance.csv': attendanceCsv(rows),
      'attendance.xlsx': attendanceXlsx(rows, event),
      'events.json': eventsJson(db, event.timezone),
      'README.txt': strToU8(README.replace(/\n/g, '\r\n')),
    },
    6,
  );
}
