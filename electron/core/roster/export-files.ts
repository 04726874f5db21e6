import type { Database } from 'better-sqlite3';
import { strToU8 } from 'fflate';
import type { EventInfo } from '../../../shared/domain.ts';
import { csvLine } from '../../../shared/roster/csv.ts';
import { ATTENDANCE_COLUMNS, isoInZone, type AttendanceRow } from './attendance.ts';
import { zipFiles } from './zip.ts';
import { writeXlsx, type XlsxCell, type XlsxSheet } from './xlsx-writer.ts';

/** Attendance files that open right in Excel, WPS and LibreOffice, in any script, without formulas. */

const yesNo = (value: boolean): string => (value ? 'yes' : 'no');

function cellValues(row: AttendanceRow): Array<string | number> {
  return ATTENDANCE_COLUMNS.map(([key]) => {
    const v = row[key];
    if (typeof v === 'boolean') return yesNo(v);
    if (v instanceof Date || v === null) return '';
    return v;
  });
}

/** UTF-8 with BOM (so Excel reads Chinese correctly), CRLF, OWASP-neutralised text cells. */
export function attendanceCsv(rows: readonly AttendanceRow[]): Uint8Array {
  const parts = ['\uFEFF', csvLine(ATTENDANCE_COLUMNS.map(([, label]) => label))];
  for (const row of rows) parts.push(csvLine(cellValues(row)));
  return strToU8(parts.join(''));
}

const WIDTHS: Partial<Record<keyof AttendanceRow, number>> = {
  name: 24,
  organization: 36,
  email: 30,
  firstArrival: 20,
  forumsAttended: 24,
};

function attendanceSheet(title: string, rows: readonly AttendanceRow[]): XlsxSheet {
  return {
    name: title,
    widths: ATTENDANCE_COLUMNS.map(([key, label]) => WIDTHS[key] ?? Math.max(12, label.length + 2)),
    header: ATTENDANCE_COLUMNS.map(([, label]) => label),
    dateColumns: [ATTENDANCE_COLUMNS.findIndex(([key]) => key === 'firstArrival')],
    // Every text value is a string cell: a name like "=HYPERLINK(…)" stays text, never a formula.
    rows: rows.map((row) =>
      ATTENDANCE_COLUMNS.map(([key]) => {
        const v = row[key];
        return typeof v === 'boolean'
          ? yesNo(v)
          : key === 'firstArrival'
            ? row.firstArrivalLocal
            : (v as string | number);
      }),
    ),
  };
}

export function attendanceXlsx(rows: readonly AttendanceRow[], event: EventInfo): Uint8Array {
  const active = rows.filter((r) => r.status !== 'removed');
  const count = (f: (r: AttendanceRow) => boolean) => rows.filter(f).length;
  const sheets: XlsxSheet[] = [
    attendanceSheet('Attendance', rows),
    attendanceSheet(
      'No-shows',
      active.filter((r) => !r.checkedIn && r.status === 'active'),
    ),
    attendanceSheet(
      'Walk-ins',
      rows.filter((r) => r.walkIn),
    ),
    ...event.forums.map((forum) =>
      attendanceSheet(
        `Forum ${forum.name.en}`.replace(/[\\/?*[\]:]/g, ' '),
        rows.filter((r) => r.forumAssigned === forum.id || r.forumsAttended.split(', ').includes(forum.id)),
      ),
    ),
    {
      name: 'Summary',
      widths: [40, 16],
      header: ['Measure', 'Value'],
      dateColumns: [],
      rows: [
        ['Event', event.name.en],
        ['Registered (not removed)', active.length],
        ['Checked in', count((r) => r.checkedIn)],
        ['No-shows', count((r) => !r.checkedIn && r.status === 'active')],
        ['Walk-ins', count((r) => r.walkIn)],
        ['Cancelled', count((r) => r.status === 'cancelled')],
        ['Guests with duplicate check-ins', count((r) => r.duplicates > 0)],
        ['Voided check-ins', rows.reduce((n, r) => n + r.voided, 0)],
        ...event.forums.map((f): XlsxCell[] => [
          `Assigned to ${f.name.en} (capacity ${f.capacity})`,
          count((r) => r.forumAssigned === f.id),
        ]),
      ],
    },
  ];
  return writeXlsx(sheets);
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
  const events = (db.prepare(`SELECT * FROM events ORDER BY hlc`).all() as EventRow[]).map((e) => ({
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
