import { fold } from '../../shared/search/fold.ts';
import type { AttendanceModel } from './attendance.ts';
import { listDevices, openPairingCodes, type DeviceInfo } from './devices.ts';
import type { Sql } from './sql.ts';

/**
 * What the organisers' page shows beyond the overview: names in every language and the
 * event's time zone, the live feed of check-ins, open pairing codes, devices with their contact times
 * and history, and one guest's history. Times go out as epoch ms; the page formats them in the event's zone.
 */
type Names = { zh: string; en: string; de: string };

export interface PageExtras {
  event: { names: Names; timezone: string };
  forumNames: Record<string, Names>;
  /** Guests on the roster or walked in, minus those checked in: who has not come (yet). */
  noShows: number;
  feed: FeedItem[];
  pairingCodes: Array<{ name: string; expiresMs: number }>;
  devices: DeviceInfo[];
  serverNowMs: number;
}

export interface FeedItem {
  factId: string;
  guestId: string;
  name: string;
  door: string;
  deviceId: string;
  atMs: number;
  /** Not the guest's arrival: a second admission (a duplicate). */
  again: boolean;
  voided: boolean;
}

export const FEED_LIMIT = 25;

export async function pageExtras(sql: Sql, model: AttendanceModel, nowMs: number): Promise<PageExtras> {
  const { event } = model.pkg;
  const rows = await sql.query<{ id: string; guest_id: string; device_id: string; wall_ms: number; door: string }>(
    `SELECT fact_id::text AS id, guest_id, device_id, wall_ms, coalesce(payload->>'door', '') AS door FROM fact_log
     WHERE conference_id = $1 AND type = 'check_in' ORDER BY hlc DESC, fact_id DESC LIMIT ${FEED_LIMIT}`,
    [event.id],
  );
  const byId = new Map(model.guests.map((s) => [s.guest.id, s]));
  const feed = rows.map((r): FeedItem => {
    const state = byId.get(r.guest_id);
    const live = state?.live ?? [];
    return {
      factId: r.id,
      guestId: r.guest_id,
      name: state?.guest.displayName ?? r.guest_id,
      door: r.door,
      deviceId: r.device_id,
      atMs: Number(r.wall_ms),
      again: live.length > 0 && live[0]!.factId !== r.id && live.some((c) => c.factId === r.id),
      voided: !live.some((c) => c.factId === r.id),
    };
  });
  const active = model.guests.filter((s) => s.guest.status === 'active');
  return {
    event: { names: event.name, timezone: event.timezone },
    forumNames: Object.fromEntries(event.forums.map((f) => [f.id, f.name])),
    noShows: active.filter((s) => s.live.length === 0).length,
    feed,
    pairingCodes: await openPairingCodes(sql, event.id, nowMs),
    devices: await listDevices(sql, event.id),
    serverNowMs: nowMs,
  };
}

export interface GuestMatch {
  id: string;
  name: string;
  organization: string;
  checkedIn: boolean;
}

export const SEARCH_LIMIT = 20;

/** Guests whose names, organisation, email or codes contain every word of the query (case and accents folded). */
export function searchGuests(model: AttendanceModel, query: string): GuestMatch[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const out: GuestMatch[] = [];
  for (const s of model.guests) {
    const g = s.guest;
    const text = fold(
      [
        g.displayName,
        g.nativeName,
        g.latinName,
        g.familyName,
        g.givenName,
        g.organization,
        g.email,
        g.id,
        ...g.codes,
      ].join(' '),
    );
    if (!words.every((w) => text.includes(w))) continue;
    out.push({ id: g.id, name: g.displayName, organization: g.organization, checkedIn: s.live.length > 0 });
    if (out.length >= SEARCH_LIMIT) break;
  }
  return out;
}

export interface GuestHistory {
  guest: GuestMatch & { forumId: string };
  entries: Array<{
    factId: string;
    type: string;
    atMs: number;
    deviceId: string;
    door: string;
    actor: string;
    forumId: string;
    direction: string;
    /** A check-in a later void removed. */
    voided: boolean;
  }>;
}

/** One guest's story: arrivals, doors, forum changes and room scans, badge prints, voids — oldest first. */
export async function guestHistory(sql: Sql, model: AttendanceModel, guestId: string): Promise<GuestHistory | null> {
  const state = model.guests.find((s) => s.guest.id === guestId);
  if (state === undefined) return null;
  const rows = await sql.query<{
    id: string;
    type: string;
    wall_ms: number;
    device_id: string;
    actor: string;
    payload: Record<string, unknown>;
  }>(
    `SELECT fact_id::text AS id, type, wall_ms, device_id, actor, payload FROM fact_log
     WHERE conference_id = $1 AND (guest_id = $2 OR (type = 'check_in_void' AND payload->>'voids' IN (
       SELECT fact_id::text FROM fact_log WHERE conference_id = $1 AND guest_id = $2 AND type = 'check_in')))
     ORDER BY hlc, fact_id`,
    [model.pkg.event.id, guestId],
  );
  const voided = new Set(rows.filter((r) => r.type === 'check_in_void').map((r) => String(r.payload['voids'])));
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    guest: {
      id: state.guest.id,
      name: state.guest.displayName,
      organization: state.guest.organization,
      checkedIn: state.live.length > 0,
      forumId: state.register.winner?.forumId ?? '',
    },
    entries: rows.map((r) => ({
      factId: r.id,
      type: r.type,
      atMs: Number(r.wall_ms),
      deviceId: r.device_id,
      door: text(r.payload['door']),
      actor: r.actor,
      forumId: text(r.payload['forumId']),
      direction: text(r.payload['direction']),
      voided: r.type === 'check_in' && voided.has(r.id),
    })),
  };
}

/** The events list with every language's name and the zone, for the page's event picker. */
export async function eventNames(sql: Sql): Promise<Map<string, { names: Names; timezone: string }>> {
  const rows = await sql.query<{ id: string; names: Names | null; timezone: string | null }>(
    `SELECT id, package->'event'->'name' AS names, package->'event'->>'timezone' AS timezone FROM events`,
    [],
  );
  return new Map(
    rows.map((r) => [r.id, { names: r.names ?? { zh: '', en: r.id, de: '' }, timezone: r.timezone ?? 'UTC' }]),
  );
}
