import type { AssignmentFact, RegisterState } from '../../shared/forums/register.ts';
import { guestColumns, isoInZone, type AttendanceRow } from '../../shared/roster/export/attendance.ts';
import { isDuplicate, otherDeviceCheckins, type CheckinDot } from '../../shared/projection/attendance.ts';
import { hasForumConflict } from '../../shared/projection/forum-assignment.ts';
import { project } from '../../shared/projection/project.ts';
import type { WalkInGuest } from '../../shared/sync/fact-schema.ts';
import type { EventPackage, EventStats, PackageGuest } from '../../shared/sync/protocol.ts';
import { listDevices, type DeviceInfo } from './devices.ts';
import { eventStats, readPackage } from './events.ts';
import { FACT_COLUMNS, factFromRow, type FactRow } from './fact-rows.ts';
import type { Sql } from './sql.ts';

/**
 * The organisers' view of an event on the server: the same per-guest attendance the kiosks export, the
 * package's roster folded with the fact log by the one projection every side uses (shared/projection/):
 * the earliest live check-in by HLC is the arrival (R11), a void removes exactly the check-in it names
 * (R12), the forum is the register's winner (R13), presence in a forum room follows the latest entry scan.
 */

interface GuestState {
  guest: PackageGuest;
  /** Live check-ins, earliest (by HLC) first. */
  live: CheckinDot[];
  voided: number;
  register: RegisterState;
  /** Forums the guest was scanned into, in order of the first entry. */
  attended: string[];
  /** Forums the guest is inside now. */
  inside: Set<string>;
}

export interface AttendanceModel {
  pkg: EventPackage;
  /** Roster guests, then walk-ins, then guests only known from the log; in export order. */
  guests: GuestState[];
}

function placeholder(id: string): PackageGuest {
  return {
    id,
    displayName: id,
    familyName: id,
    givenName: '',
    nativeName: '',
    latinName: '',
    organization: '',
    role: 'guest',
    email: '',
    phone: '',
    note: '',
    vip: false,
    status: 'active',
    walkIn: false,
    forumPreferences: [],
    codes: [],
  };
}

function walkInGuest(id: string, w: WalkInGuest): PackageGuest {
  const { displayName, familyName, givenName, nativeName, latinName, organization, role, email, phone, note } = w;
  const named = { displayName, familyName, givenName, nativeName, latinName, organization, role, email, phone, note };
  return { ...placeholder(id), ...named, status: w.status, walkIn: true, codes: w.codes };
}

/** Reads the package and the log once and folds them into per-guest state. Null: no such event. */
export async function loadAttendance(sql: Sql, eventId: string): Promise<AttendanceModel | null> {
  const stored = await readPackage(sql, eventId);
  if (stored === null) return null;
  const pkg = stored.package;
  const rows = await sql.query<FactRow>(
    `SELECT ${FACT_COLUMNS} FROM fact_log
     WHERE conference_id = $1 AND type IN ('check_in', 'check_in_void', 'walk_in', 'forum_assign', 'forum_entry')`,
    [eventId],
  );
  const forums = new Set(pkg.event.forums.map((f) => f.id));
  const projected = project(rows.map(factFromRow), (id) => forums.has(id));
  const byId = new Map<string, PackageGuest>();
  for (const g of pkg.guests) byId.set(g.id, g);
  for (const [id, p] of projected) {
    if (!byId.has(id)) byId.set(id, p.walkIn === null ? placeholder(id) : walkInGuest(id, p.walkIn));
  }
  const guests: GuestState[] = [...byId.values()].map((guest) => {
    const p = projected.get(guest.id);
    return {
      guest,
      live: p?.attendance.live ?? [],
      voided: p?.attendance.voided ?? 0,
      register: p?.register ?? { winner: null, conflicts: [] },
      attended: p?.presence.attended ?? [],
      inside: p?.presence.inside ?? new Set<string>(),
    };
  });
  // The kiosk's export order: display name, then id (binary comparison, as SQLite's default collation).
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  guests.sort((a, b) => cmp(a.guest.displayName, b.guest.displayName) || cmp(a.guest.id, b.guest.id));
  return { pkg, guests };
}

/** One row per guest, as the kiosk's export (electron/core/roster/attendance.ts) has it. */
export function attendanceRowsOf(model: AttendanceModel, forumId: string): AttendanceRow[] {
  const timeZone = model.pkg.event.timezone;
  const out: AttendanceRow[] = [];
  for (const s of model.guests) {
    const g = s.guest;
    const assigned = s.register.winner?.forumId ?? '';
    if (forumId !== '' && assigned !== forumId && !s.attended.includes(forumId)) continue;
    const first = s.live[0];
    const time = first === undefined ? null : isoInZone(first.wallMs, timeZone);
    out.push({
      ...guestColumns(g),
      codes: g.codes.join(' '),
      checkedIn: first !== undefined,
      firstArrival: time?.iso ?? '',
      firstArrivalLocal: time?.local ?? null,
      door: first?.door ?? '',
      checkedInBy: first?.actor ?? '',
      checkinCount: s.live.length,
      duplicates: otherDeviceCheckins({ live: s.live, arrival: first ?? null, voided: s.voided }),
      voided: s.voided,
      forumAssigned: assigned,
      forumsAttended: s.attended.join(', '),
    });
  }
  return out;
}

export async function attendanceRows(sql: Sql, eventId: string, forumId: string): Promise<AttendanceRow[] | null> {
  const model = await loadAttendance(sql, eventId);
  return model === null ? null : attendanceRowsOf(model, forumId);
}

export interface OverviewCheckin {
  factId: string;
  door: string;
  deviceId: string;
  at: string;
}

export interface OverviewAssignment {
  factId: string;
  forumId: string;
  deviceId: string;
  at: string;
}

export interface Overview {
  eventId: string;
  name: string;
  generatedAt: string;
  stats: EventStats;
  forums: Array<{ forumId: string; name: string; capacity: number; assigned: number; arrived: number; inside: number }>;
  doors: Array<{ door: string; deviceId: string; deviceName: string; checkIns: number }>;
  duplicates: Array<{ guestId: string; name: string; organization: string; checkins: OverviewCheckin[] }>;
  forumConflicts: Array<{ guestId: string; name: string; winner: OverviewAssignment; losers: OverviewAssignment[] }>;
  alerts: Array<{ id: number; kind: string; deviceId: string; factId: string; detail: unknown; at: string }>;
  /** The devices as the overview shows them (devices.ts's DeviceInfo without contact times and history). */
  devices: Array<Pick<DeviceInfo, 'id' | 'name' | 'revoked' | 'pairedMs' | 'lastSyncMs' | 'ackedThrough'>>;
}

export const OVERVIEW_LIST_LIMIT = 100;

/** Everything the organisers' page shows for one event, in one answer. Null: no such event. */
export async function eventOverview(sql: Sql, eventId: string, nowMs: number): Promise<Overview | null> {
  const model = await loadAttendance(sql, eventId);
  const stats = await eventStats(sql, eventId);
  if (model === null || stats === null) return null;
  const devices = await listDevices(sql, eventId);
  const deviceNames = new Map(devices.map((d) => [d.id, d.name]));
  const iso = (ms: number) => new Date(ms).toISOString();

  const forums = model.pkg.event.forums.map((f) => {
    let assigned = 0;
    let arrived = 0;
    let inside = 0;
    for (const s of model.guests) {
      if (s.register.winner?.forumId === f.id) {
        assigned += 1;
        if (s.live.length > 0) arrived += 1;
      }
      if (s.inside.has(f.id)) inside += 1;
    }
    return { forumId: f.id, name: f.name.en || f.name.zh, capacity: f.capacity, assigned, arrived, inside };
  });

  const doorCounts = new Map<string, { door: string; deviceId: string; deviceName: string; checkIns: number }>();
  for (const s of model.guests) {
    for (const c of s.live) {
      const key = JSON.stringify([c.door, c.deviceId]);
      const entry = doorCounts.get(key) ?? {
        door: c.door,
        deviceId: c.deviceId,
        deviceName: deviceNames.get(c.deviceId) ?? '',
        checkIns: 0,
      };
      entry.checkIns += 1;
      doorCounts.set(key, entry);
    }
  }
  const doors = [...doorCounts.values()].sort(
    (a, b) => b.checkIns - a.checkIns || a.door.localeCompare(b.door) || a.deviceId.localeCompare(b.deviceId),
  );

  // Recent first: by the latest live check-in of the guest.
  const duplicates = model.guests
    .filter((s) => isDuplicate(s))
    .sort((a, b) => (a.live[a.live.length - 1]!.hlc < b.live[b.live.length - 1]!.hlc ? 1 : -1))
    .slice(0, OVERVIEW_LIST_LIMIT)
    .map((s) => ({
      guestId: s.guest.id,
      name: s.guest.displayName,
      organization: s.guest.organization,
      checkins: s.live.map((c) => ({ factId: c.factId, door: c.door, deviceId: c.deviceId, at: iso(c.wallMs) })),
    }));

  const wallOf = new Map<string, number>();
  const conflicted = model.guests.filter((s) => hasForumConflict(s.register));
  if (conflicted.length > 0) {
    const ids = conflicted.flatMap((s) => [s.register.winner!, ...s.register.conflicts].map((a) => a.factId));
    const rows = await sql.query<{ fact_id: string; wall_ms: number }>(
      `SELECT fact_id::text AS fact_id, wall_ms FROM fact_log WHERE fact_id = ANY($1::uuid[])`,
      [ids],
    );
    for (const r of rows) wallOf.set(r.fact_id, Number(r.wall_ms));
  }
  const show = (a: AssignmentFact): OverviewAssignment => ({
    factId: a.factId,
    forumId: a.forumId,
    deviceId: a.deviceId,
    at: iso(wallOf.get(a.factId) ?? 0),
  });
  const forumConflicts = conflicted
    .sort((a, b) => (a.register.winner!.hlc < b.register.winner!.hlc ? 1 : -1))
    .slice(0, OVERVIEW_LIST_LIMIT)
    .map((s) => ({
      guestId: s.guest.id,
      name: s.guest.displayName,
      winner: show(s.register.winner!),
      losers: s.register.conflicts.map(show),
    }));

  const alertRows = await sql.query<{
    id: number;
    kind: string;
    device_id: string;
    fact_id: string;
    detail: unknown;
    created_ms: number;
  }>(
    `SELECT id, kind, device_id, fact_id, detail, created_ms FROM alerts WHERE conference_id = $1
     ORDER BY id DESC LIMIT ${OVERVIEW_LIST_LIMIT}`,
    [eventId],
  );

  return {
    eventId,
    name: model.pkg.event.name.en || model.pkg.event.name.zh,
    generatedAt: iso(nowMs),
    stats,
    forums,
    doors,
    duplicates,
    forumConflicts,
    alerts: alertRows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      deviceId: r.device_id,
      factId: r.fact_id,
      detail: r.detail,
      at: iso(Number(r.created_ms)),
    })),
    devices: devices.map((d) => ({
      id: d.id,
      name: d.name,
      revoked: d.revoked,
      pairedMs: d.pairedMs,
      lastSyncMs: d.lastSyncMs,
      ackedThrough: d.ackedThrough,
    })),
  };
}
