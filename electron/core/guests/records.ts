import type { Database } from 'better-sqlite3';
import type { GuestRecord } from './store.ts';

/** Reading the whole roster as stored, for a roster merge or the event package (not on the scan path). */
interface GuestRecordRow {
  id: string;
  display_name: string;
  family_name: string;
  given_name: string;
  native_name: string;
  latin_name: string;
  organization: string;
  role: GuestRecord['role'];
  email: string;
  phone: string;
  note: string;
  vip: number;
  status: GuestRecord['status'];
  source: GuestRecord['source'];
  walk_in: number;
  codes: string;
  prefs: string;
}

/** Every guest as stored (fields, codes, ranked preferences): for a roster merge or the event package. */
export function loadGuestRecords(db: Database): GuestRecord[] {
  const rows = db
    .prepare(
      `SELECT g.id, g.display_name, g.family_name, g.given_name, g.native_name, g.latin_name, g.organization, g.role,
              g.email, g.phone, g.note, g.vip, g.status, g.source, g.walk_in,
              (SELECT json_group_array(code) FROM guest_codes WHERE guest_id = g.id) AS codes,
              (SELECT json_group_array(forum_id) FROM
                 (SELECT forum_id FROM guest_forum_preferences WHERE guest_id = g.id ORDER BY rank)) AS prefs
       FROM guests g`,
    )
    .all() as GuestRecordRow[];
  return rows.map((r) => ({
    id: r.id,
    displayName: r.display_name,
    familyName: r.family_name,
    givenName: r.given_name,
    nativeName: r.native_name,
    latinName: r.latin_name,
    organization: r.organization,
    role: r.role,
    email: r.email,
    phone: r.phone,
    note: r.note,
    vip: r.vip === 1,
    status: r.status,
    source: r.source,
    walkIn: r.walk_in === 1,
    codes: JSON.parse(r.codes) as string[],
    forumPreferences: JSON.parse(r.prefs) as string[],
  }));
}
