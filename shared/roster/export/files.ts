import { strToU8 } from 'fflate';
import type { EventInfo } from '../../domain.ts';
import { csvLine } from '../csv.ts';
import { ATTENDANCE_COLUMNS, type AttendanceRow } from './attendance.ts';
import { exportLabels, fill, forumNamesOf, localName, type ExportLocale } from './labels.ts';
import { writeXlsx, zipPortable, type XlsxCell, type XlsxSheet, type Zipper } from './xlsx-writer.ts';

/** Attendance files that open right in Excel, WPS and LibreOffice, in any script, without formulas. */

/** Headers and cell texts: English with forum ids without a locale (what older scripts read). */
function writerOf(locale: ExportLocale | null) {
  const labels = exportLabels(locale?.lang ?? 'en');
  const header = ATTENDANCE_COLUMNS.map(([key, label]) => (locale === null ? label : labels.columns[key]));
  const text = (row: AttendanceRow, key: keyof AttendanceRow): string | number | Date | null => {
    const v = row[key];
    if (typeof v === 'boolean') return v ? labels.yes : labels.no;
    if (locale !== null && (key === 'forumAssigned' || key === 'forumsAttended'))
      return forumNamesOf(v as string, locale);
    return v;
  };
  return { labels, header, text };
}

/** UTF-8 with BOM (so Excel reads Chinese correctly), CRLF, OWASP-neutralised text cells. */
export function attendanceCsv(rows: readonly AttendanceRow[], locale: ExportLocale | null = null): Uint8Array {
  const { header, text } = writerOf(locale);
  const parts = ['\uFEFF', csvLine(header)];
  for (const row of rows) {
    parts.push(
      csvLine(
        ATTENDANCE_COLUMNS.map(([key]) => {
          const v = text(row, key);
          return v instanceof Date || v === null ? '' : v;
        }),
      ),
    );
  }
  return strToU8(parts.join(''));
}

const WIDTHS: Partial<Record<keyof AttendanceRow, number>> = {
  name: 24,
  organization: 36,
  email: 30,
  firstArrival: 20,
  forumsAttended: 24,
};

function attendanceSheet(
  title: string,
  rows: readonly AttendanceRow[],
  { header, text }: ReturnType<typeof writerOf>,
): XlsxSheet {
  return {
    name: title.replace(/[\\/?*[\]:]/g, ' '),
    widths: ATTENDANCE_COLUMNS.map(([key], i) => WIDTHS[key] ?? Math.max(12, header[i]!.length + 2)),
    header,
    dateColumns: [ATTENDANCE_COLUMNS.findIndex(([key]) => key === 'firstArrival')],
    // Every text value is a string cell: a name like "=HYPERLINK(…)" stays text, never a formula.
    rows: rows.map((row) =>
      ATTENDANCE_COLUMNS.map(([key]) =>
        key === 'firstArrival' ? row.firstArrivalLocal : (text(row, key) as string | number),
      ),
    ),
  };
}

export function attendanceXlsx(
  rows: readonly AttendanceRow[],
  event: EventInfo,
  zip: Zipper = zipPortable,
  locale: ExportLocale | null = null,
): Uint8Array {
  const writer = writerOf(locale);
  const { sheets: names, summary } = writer.labels;
  const name = (text: { zh: string; en: string; de: string }) =>
    locale === null ? text.en : localName(text, locale.lang);
  const active = rows.filter((r) => r.status !== 'removed');
  const count = (f: (r: AttendanceRow) => boolean) => rows.filter(f).length;
  const sheets: XlsxSheet[] = [
    attendanceSheet(names.attendance, rows, writer),
    attendanceSheet(
      names.noShows,
      active.filter((r) => !r.checkedIn && r.status === 'active'),
      writer,
    ),
    attendanceSheet(
      names.walkIns,
      rows.filter((r) => r.walkIn),
      writer,
    ),
    ...event.forums.map((forum) =>
      attendanceSheet(
        fill(names.forum, { name: name(forum.name) }),
        rows.filter((r) => r.forumAssigned === forum.id || r.forumsAttended.split(', ').includes(forum.id)),
        writer,
      ),
    ),
    {
      name: names.summary,
      widths: [40, 16],
      header: [summary.measure, summary.value],
      dateColumns: [],
      rows: [
        [summary.event, name(event.name)],
        [summary.registered, active.length],
        [summary.checkedIn, count((r) => r.checkedIn)],
        [summary.noShows, count((r) => !r.checkedIn && r.status === 'active')],
        [summary.walkIns, count((r) => r.walkIn)],
        [summary.cancelled, count((r) => r.status === 'cancelled')],
        [summary.duplicates, count((r) => r.duplicates > 0)],
        [summary.voided, rows.reduce((n, r) => n + r.voided, 0)],
        ...event.forums.map((f): XlsxCell[] => [
          fill(summary.assigned, { name: name(f.name), capacity: f.capacity }),
          count((r) => r.forumAssigned === f.id),
        ]),
      ],
    },
  ];
  return writeXlsx(sheets, zip);
}
