import type { Database } from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { defaultListName, listKey } from '../../../../shared/roster/lists.ts';

/**
 * Guest lists (shared/roster/lists.ts): every import belongs to a list, a guest may be on several.
 * A kiosk that imported before lists existed had one list in effect: its imported guests become the
 * members of a list named after the last file imported, so a later "complete list" import of that file
 * still takes off the guests it no longer has.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE roster_lists (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      -- folded name: "Eventbrite" and "eventbrite" are one list
      name_key TEXT NOT NULL UNIQUE,
      created_ms INTEGER NOT NULL,
      last_import_ms INTEGER NOT NULL,
      last_file_name TEXT NOT NULL
    ) STRICT;

    -- Clustered by list: an import appends its new guests' ids (ascending) at the list's end. No index by
    -- guest: the only by-guest question (on which other lists?) is asked once per complete-list import,
    -- with one grouped scan.
    CREATE TABLE list_members (
      list_id TEXT NOT NULL REFERENCES roster_lists (id),
      guest_id TEXT NOT NULL REFERENCES guests (id),
      -- the code this list's file gave the guest ('' none): a new file of the list replaces that code
      -- and keeps the codes other lists gave (an Eventbrite barcode and an institute's ticket number)
      code TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (list_id, guest_id)
    ) STRICT, WITHOUT ROWID;

    ALTER TABLE roster_imports ADD COLUMN list_id TEXT NOT NULL DEFAULT '';
  `);
  const last = db.prepare(`SELECT file_name, wall_ms FROM roster_imports ORDER BY wall_ms DESC LIMIT 1`).get() as
    { file_name: string; wall_ms: number } | undefined;
  if (last === undefined) return;
  const id = `lst_${randomBytes(6).toString('hex')}`;
  const name = defaultListName(last.file_name, '');
  db.prepare(
    `INSERT INTO roster_lists (id, name, name_key, created_ms, last_import_ms, last_file_name) VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(id, name, listKey(name), last.wall_ms, last.wall_ms, last.file_name);
  db.prepare(
    `INSERT INTO list_members (list_id, guest_id, code)
     SELECT ?, g.id, CASE WHEN (SELECT count(*) FROM guest_codes c WHERE c.guest_id = g.id) = 1
                          THEN (SELECT code FROM guest_codes c WHERE c.guest_id = g.id) ELSE '' END
     FROM guests g WHERE g.source = 'import' AND g.status != 'removed' ORDER BY g.id`,
  ).run(id);
  db.prepare(`UPDATE roster_imports SET list_id = ?`).run(id);
}
