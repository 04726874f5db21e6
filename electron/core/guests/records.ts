import type { Database } from 'better-sqlite3';
import { guestFields, guestFieldsSql, type GuestFieldsRow, type GuestRecord } from './row.ts';

interface GuestRecordRow extends GuestFieldsRow {
  codes: string;
  prefs: string;
}

/**
 * Every guest on the roster (fields, codes, ranked preferences): for a roster merge or the event package.
 * Not the new guests of an import still writing (`settled_guests`, migration 016).
 */
export function loadGuestRecords(db: Database): GuestRecord[] {
  return toRecords(db.prepare(RECORDS_SQL).all() as GuestRecordRow[]);
}

/**
 * The next `limit` guests by id after `afterId` (loadGuestRecords a page at a time): an import reads a
 * big roster this way, yielding to scans between pages (at 250,000 guests the whole read held the door
 * for seconds). Pages are not one snapshot: the import plans again if the roster changed meanwhile.
 */
export function loadGuestRecordPage(db: Database, afterId: string, limit: number): GuestRecord[] {
  return toRecords(
    db.prepare(`${RECORDS_SQL} WHERE g.id > ? ORDER BY g.id LIMIT ?`).all(afterId, limit) as GuestRecordRow[],
  );
}

const RECORDS_SQL = `SELECT ${guestFieldsSql('g')},
    (SELECT json_group_array(code) FROM guest_codes WHERE guest_id = g.id) AS codes,
    (SELECT json_group_array(forum_id) FROM
       (SELECT forum_id FROM guest_forum_preferences WHERE guest_id = g.id ORDER BY rank)) AS prefs
  FROM settled_guests g`;

function toRecords(rows: GuestRecordRow[]): GuestRecord[] {
  return rows.map((r) => ({
    ...guestFields(r),
    codes: JSON.parse(r.codes) as string[],
    forumPreferences: JSON.parse(r.prefs) as string[],
  }));
}
