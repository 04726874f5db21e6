/**
 * The attendance export's row and columns, shared by the kiosk (rows read from SQLite) and the server
 * (rows rebuilt from the event log): runtime-neutral, so both write the same files.
 */

import { formatInZone, offsetMinutes } from '../../event/time.ts';
import type { NameParts } from '../../domain.ts';

/** One attendance row per guest, as organisers read it afterwards. Times are ISO 8601 in the event's zone. */
export interface AttendanceRow extends NameParts {
  guestId: string;
  name: string;
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

/** A guest as both sides store one: the kiosk's guest record and the server's package guest. */
export interface ExportedGuest extends NameParts {
  id: string;
  displayName: string;
  organization: string;
  role: string;
  email: string;
  phone: string;
  status: string;
  walkIn: boolean;
}

/** The columns of a row that say who the guest is (the rest say what happened at the doors). */
export function guestColumns(
  g: ExportedGuest,
): Pick<
  AttendanceRow,
  'guestId' | 'name' | keyof NameParts | 'organization' | 'role' | 'email' | 'phone' | 'status' | 'walkIn'
> {
  return {
    guestId: g.id,
    name: g.displayName,
    familyName: g.familyName,
    givenName: g.givenName,
    nativeName: g.nativeName,
    latinName: g.latinName,
    organization: g.organization,
    role: g.role,
    email: g.email,
    phone: g.phone,
    status: g.status,
    walkIn: g.walkIn,
  };
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

/**
 * `2026-05-29T09:30:00+08:00`: ISO 8601 with the zone's offset at that instant; `local` is that wall time
 * (to the second) as a Date whose UTC fields read it, for spreadsheet cells, which have no zone.
 */
export function isoInZone(ms: number, timeZone: string): { iso: string; local: Date } {
  const local = new Date(Math.floor(ms / 1000) * 1000 + offsetMinutes(ms, timeZone) * 60_000);
  return { iso: formatInZone(ms, timeZone), local };
}
