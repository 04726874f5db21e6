import type { Database } from 'better-sqlite3';

/**
 * `forum_entries_by_guest (guest_id, hlc)` is covered by `forum_entries_by_guest_forum (guest_id, forum_id,
 * hlc)` (migration 005): every reader asks by guest (a guest's rooms) or by guest and room (the latest
 * scan), and the longer index serves both. One B-tree fewer to write per room scan, and per pulled entry:
 * a first pull of 90,000 entries spent about a tenth of their insert time on it.
 */
export function up(db: Database): void {
  db.exec(`DROP INDEX forum_entries_by_guest;`);
}
