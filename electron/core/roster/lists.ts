import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { RosterListView } from '../../../shared/roster/contract-types.ts';
import { listKey } from '../../../shared/roster/lists.ts';
import { insertRows } from '../db/bulk.ts';

export interface ListMembership {
  /** The list's members → the code its file gave them ('' none). */
  codes: Map<string, string>;
  /** Guests on lists other than this one → how many. */
  otherLists: Map<string, number>;
}

/** The guest lists and who is on them (migration 007; the rules are in shared/roster/lists.ts). */
export class ListStore {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** The list with this name (folded), or null when there is none yet. */
  find(name: string): { id: string; name: string } | null {
    const row = this.db.prepare(`SELECT id, name FROM roster_lists WHERE name_key = ?`).get(listKey(name)) as
      { id: string; name: string } | undefined;
    return row ?? null;
  }

  /** The list's id, created if new; records this import's time and file. The caller owns the transaction. */
  touch(name: string, fileName: string, now: number): string {
    const existing = this.find(name);
    if (existing !== null) {
      this.db
        .prepare(`UPDATE roster_lists SET last_import_ms = ?, last_file_name = ? WHERE id = ?`)
        .run(now, fileName, existing.id);
      return existing.id;
    }
    const id = `lst_${randomBytes(6).toString('hex')}`;
    this.db
      .prepare(
        `INSERT INTO roster_lists (id, name, name_key, created_ms, last_import_ms, last_file_name) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(id, name, listKey(name), now, now, fileName);
    return id;
  }

  /**
   * Who is on which list, as an import of `listId` needs it (null: a list not created yet): its members
   * with the code it gave each, and for every guest on a list how many other lists they are on. Two
   * plain scans: a by-guest question per member would need an index by guest on every import.
   */
  membership(listId: string | null): ListMembership {
    const codes = new Map<string, string>();
    const otherLists = new Map<string, number>();
    if (listId !== null) {
      const rows = this.db
        .prepare(`SELECT guest_id, code FROM list_members WHERE list_id = ?`)
        .raw()
        .all(listId) as Array<[string, string]>;
      for (const [guest, code] of rows) codes.set(guest, code);
    }
    const others = this.db
      .prepare(`SELECT guest_id FROM list_members WHERE list_id != ?`)
      .pluck()
      .all(listId ?? '') as string[];
    for (const guest of others) otherLists.set(guest, (otherLists.get(guest) ?? 0) + 1);
    return { codes, otherLists };
  }

  /** Puts guests on a list with the code the list gave each, or updates that code. The caller owns the transaction. */
  add(listId: string, members: ReadonlyArray<readonly [guestId: string, code: string]>): void {
    if (members.length === 0) return;
    const sorted = [...members].sort((a, b) => (a[0] < b[0] ? -1 : 1)); // clustered by (list, guest): sorted appends
    insertRows(
      this.db,
      'list_members',
      ['list_id', 'guest_id', 'code'],
      sorted.map(([id, code]) => [listId, id, code]),
      'OR REPLACE',
    );
  }

  /** Takes guests off a list. The caller owns the transaction. */
  remove(listId: string, guestIds: readonly string[]): void {
    const drop = this.db.prepare(`DELETE FROM list_members WHERE list_id = ? AND guest_id = ?`);
    for (const id of guestIds) drop.run(listId, id);
  }

  /** Every list with its guest count and last import, newest first. */
  all(): RosterListView[] {
    const rows = this.db
      .prepare(
        `SELECT l.id, l.name, l.last_import_ms, l.last_file_name,
                (SELECT count(*) FROM settled_list_members m WHERE m.list_id = l.id) AS guests
         FROM settled_roster_lists l ORDER BY l.last_import_ms DESC, l.name`,
      )
      .all() as Array<{ id: string; name: string; last_import_ms: number; last_file_name: string; guests: number }>;
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      guests: r.guests,
      lastImportAt: new Date(r.last_import_ms).toISOString(),
      lastFileName: r.last_file_name,
    }));
  }

  /** Guests on no list who are not removed: walk-ins, the demo roster, guests other kiosks told us about. */
  unlistedCount(): number {
    return this.db
      .prepare(
        `SELECT count(*) FROM settled_guests WHERE status != 'removed' AND id NOT IN (SELECT guest_id FROM list_members)`,
      )
      .pluck()
      .get() as number;
  }
}
