import { GuestStatusSchema, RoleSchema } from '../../shared/domain.ts';
import { resolveRegister, type AssignmentFact, type RegisterState } from '../../shared/forums/register.ts';
import { isoInZone, type AttendanceRow } from '../../shared/roster/export/attendance.ts';
import type { EventPackage, EventStats, PackageGuest } from '../../shared/sync/protocol.ts';
import { listDevices, type DeviceInfo } from './devices.ts';
import { eventStats, readPackage } from './events.ts';
import type { Sql } from './sql.ts';

/**
 * The organisers' view of an event on the server: the same per-guest attendance the kiosks
 * export, rebuilt from the package's roster and the fact log with the kiosks' rules — the earliest live
 * check-in by HLC is the arrival (R11), a void removes exactly the check-in it names (R12), the forum is
 * the register's winner (R13), presence in a forum room follows the latest entry scan by HLC.
 */

interface LogRow {
  fact_id: string;
  device_id: string;
  type: 'check_in' | 'check_in_void' | 'walk_in' | 'forum_assign' | 'forum_entry';
  guest_id: string;
  hlc: string;
  wall_ms: number;
  actor: string;
  payload: Record<string, unknown>;
}

export interface LiveCheckin {
  factId: string;
  deviceId: string;
  door: string;
  actor: string;
  hlc: string;
  wallMs: number;
}

interface GuestState {
  guest: PackageGuest;
  /** Live check-ins, earliest (by HLC) first. */
  live: LiveCheckin[];
  voided: number;
  register: RegisterState;
  /** Forums the guest was scanned into, in order of the first entry. */
  attended: string[];
  /** Per forum: direction of the latest entry scan by HLC. */
  inside: Set<string>;
}

export interface AttendanceModel {
  pkg: EventPackage;
  /** Roster guests, then walk-ins, then guests only known from the log; in export order. */
  guests: GuestState[];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

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

function walkInGuest(id: string, fields: unknown): PackageGuest {
  const f = (typeof fields === 'object' && fields !== null ? fields : {}) as Record<string, unknown>;
  const base = placeholder(id);
  const text = (key: keyof PackageGuest) => (typeof f[key] === 'string' ? (f[key] as string) : (base[key] as string));
  const role = RoleSchema.safeParse(f['role']);
  const status = GuestStatusSchema.safeParse(f['status']);
  return {
    ...base,
    displayName: text('displayName'),
    familyName: text('familyName'),
    givenName: text('givenName'),
    nativeName: text('nativeName'),
    latinName: text('latinName'),
    organization: text('organization'),
    email: text('email'),
    phone: text('phone'),
    note: text('note'),
    role: role.success ? role.data : 'guest',
    status: status.success ? status.data : 'active',
    walkIn: true,
    codes: Array.isArray(f['codes']) ? f['codes'].filter((c): c is string => typeof c === 'string') : [],
  };
}

/** Reads the package and the log once and folds them into per-guest state. Null: no such event. */
export async function loadAttendance(sql: Sql, eventId: string): Promise<AttendanceModel | null> {
  const stored = await readPackage(sql, eventId);
  if (stored === null) return null;
  const pkg = stored.package;
  const log = await sql.query<LogRow>(
    `SELECT fact_id::text AS fact_id, device_id, type, guest_id, hlc, wall_ms, actor, payload FROM fact_log
     WHERE conference_id = $1 AND type IN ('check_in', 'check_in_void', 'walk_in', 'forum_assign', 'forum_entry')
     ORDER BY hlc, fact_id`,
    [eventId],
  );
  const forums = new Set(pkg.event.forums.map((f) => f.id));
  const byId = new Map<string, PackageGuest>();
  for (const g of pkg.guests) byId.set(g.id, g);
  const ensure = (id: string, make: () => PackageGuest) => {
    if (!byId.has(id)) byId.set(id, make());
  };
  const voidedIds = new Set<string>();
  for (const e of log) {
    if (e.type === 'walk_in') ensure(e.guest_id, () => walkInGuest(e.guest_id, e.payload['guest']));
    else if (e.type === 'check_in_void') voidedIds.add(str(e.payload['voids']));
  }
  for (const e of log) if (e.type !== 'check_in_void') ensure(e.guest_id, () => placeholder(e.guest_id));

  const live = new Map<string, LiveCheckin[]>();
  const voided = new Map<string, number>();
  const assignments = new Map<string, AssignmentFact[]>();
  const attended = new Map<string, string[]>();
  const lastEntry = new Map<string, Map<string, 'in' | 'out'>>();
  const push = <T>(map: Map<string, T[]>, key: string, value: T) => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [value]);
    else list.push(value);
  };
  for (const e of log) {
    if (e.type === 'check_in') {
      if (voidedIds.has(e.fact_id)) voided.set(e.guest_id, (voided.get(e.guest_id) ?? 0) + 1);
      else
        push(live, e.guest_id, {
          factId: e.fact_id,
          deviceId: e.device_id,
          door: str(e.payload['door']),
          actor: e.actor,
          hlc: e.hlc,
          wallMs: Number(e.wall_ms),
        });
    } else if (e.type === 'forum_assign') {
      const forumId = str(e.payload['forumId']);
      if (!forums.has(forumId)) continue; // kept unapplied, as on the kiosks
      const replaces = Array.isArray(e.payload['replaces']) ? e.payload['replaces'].map(String) : [];
      push(assignments, e.guest_id, { factId: e.fact_id, forumId, hlc: e.hlc, deviceId: e.device_id, replaces });
    } else if (e.type === 'forum_entry') {
      const forumId = str(e.payload['forumId']);
      if (!forums.has(forumId)) continue;
      const direction = e.payload['direction'] === 'out' ? 'out' : 'in';
      if (direction === 'in') {
        const list = attended.get(e.guest_id) ?? [];
        if (!list.includes(forumId)) list.push(forumId);
        attended.set(e.guest_id, list);
      }
      // The log is in HLC order, so the last write per forum is the latest scan.
      const entries = lastEntry.get(e.guest_id) ?? new Map<string, 'in' | 'out'>();
      entries.set(forumId, direction);
      lastEntry.set(e.guest_id, entries);
    }
  }
  const guests: GuestState[] = [...byId.values()].map((guest) => ({
    guest,
    live: live.get(guest.id) ?? [],
    voided: voided.get(guest.id) ?? 0,
    register: resolveRegister(assignments.get(guest.id) ?? []),
    attended: attended.get(guest.id) ?? [],
    inside: new Set(
      [...(lastEntry.get(guest.id) ?? new Map<string, 'in' | 'out'>())].filter(([, d]) => d === 'in').map(([f]) => f),
    ),
  }));
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
      codes: g.codes.join(' '),
      status: g.status,
      walkIn: g.walkIn,
      checkedIn: first !== undefined,
      firstArrival: time?.iso ?? '',
      firstArrivalLocal: time?.local ?? null,
      door: first?.door ?? '',
      checkedInBy: first?.actor ?? '',
      checkinCount: s.live.length,
      duplicates: first === undefined ? 0 : s.live.filter((c) => c.deviceId !== first.deviceId).length,
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
    .filter((s) => s.live.length > 1)
    .sort((a, b) => (a.live[a.live.length - 1]!.hlc < b.live[b.live.length - 1]!.hlc ? 1 : -1))
    .slice(0, OVERVIEW_LIST_LIMIT)
    .map((s) => ({
      guestId: s.guest.id,
      name: s.guest.displayName,
      organization: s.guest.organization,
      checkins: s.live.map((c) => ({ factId: c.factId, door: c.door, deviceId: c.deviceId, at: iso(c.wallMs) })),
    }));

  const wallOf = new Map<string, number>();
  const conflicted = model.guests.filter((s) => s.register.conflicts.length > 0);
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
