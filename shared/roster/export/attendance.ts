/**
 * The attendance export's row and columns, shared by the kiosk (rows read from SQLite) and the server
 * (rows rebuilt from the event log): runtime-neutral, so both write the same files.
 */

/** One attendance row per guest, as organisers read it afterwards. Times are ISO 8601 in the event's zone. */
export interface AttendanceRow {
  guestId: string;
  name: string;
  familyName: string;
  givenName: string;
  nativeName: string;
  latinName: string;
  organization: string;
  role: string;
  email: string;
  phone: string;
  codes: string;
  status: string;
  walkIn: boolean;
  checkedIn: boolean;
  firstArrival: string;
  /** The same instant as a Date, for typed XLSX cells (wall-clock time of the event's zone). */
  firstArrivalLocal: Date | null;
  door: string;
  /** The staff member who made the arrival check-in (the event's actor). */
  checkedInBy: string;
  checkinCount: number;
  duplicates: number;
  voided: number;
  forumAssigned: string;
  forumsAttended: string;
}

export const ATTENDANCE_COLUMNS: ReadonlyArray<[keyof AttendanceRow, string]> = [
  ['guestId', 'Guest ID'],
  ['name', 'Name'],
  ['familyName', 'Family name'],
  ['givenName', 'Given name'],
  ['nativeName', 'Native script name'],
  ['latinName', 'Latin name'],
  ['organization', 'Organisation'],
  ['role', 'Role'],
  ['email', 'Email'],
  ['phone', 'Phone'],
  ['codes', 'Codes'],
  ['status', 'Registration status'],
  ['walkIn', 'Walk-in'],
  ['checkedIn', 'Checked in'],
  ['firstArrival', 'First arrival'],
  ['door', 'Door'],
  ['checkinCount', 'Check-ins'],
  ['duplicates', 'Duplicate check-ins (other doors)'],
  ['voided', 'Voided check-ins'],
  ['forumAssigned', 'Sub-forum assigned'],
  ['forumsAttended', 'Sub-forums attended'],
  // Last, so columns that scripts read by position stay where they were.
  ['checkedInBy', 'Checked in by'],
];

/** `2026-05-29T09:30:00+08:00`: ISO 8601 with the zone's offset at that instant. */
export function isoInZone(ms: number, timeZone: string): { iso: string; local: Date } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const localAsUtc = Date.UTC(
    Number(parts['year']),
    Number(parts['month']) - 1,
    Number(parts['day']),
    Number(parts['hour']),
    Number(parts['minute']),
    Number(parts['second']),
  );
  const offsetMin = Math.round((localAsUtc - Math.floor(ms / 1000) * 1000) / 60000);
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  const iso = `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}${offset}`;
  return { iso, local: new Date(localAsUtc) };
}
