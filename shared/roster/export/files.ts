import { strToU8 } from 'fflate';
import type { EventInfo } from '../../domain.ts';
import { csvLine } from '../csv.ts';
import { ATTENDANCE_COLUMNS, type AttendanceRow } from './attendance.ts';
import { writeXlsx, zipPortable, type XlsxCell, type XlsxSheet, type Zipper } from './xlsx-writer.ts';

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

export function attendanceXlsx(
  rows: readonly AttendanceRow[],
  event: EventInfo,
  zip: Zipper = zipPortable,
): Uint8Array {
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
  return writeXlsx(sheets, zip);
}
