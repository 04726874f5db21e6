import type { Database } from 'better-sqlite3';

/**
 * An organiser's own event: its start and end (ISO 8601 with the event zone's offset; '' = not set), and
 * removable sub-forums. A removed forum keeps its row — the assignment and entry history references it —
 * and is hidden from every list; adding its id again brings it back.
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE event_info ADD COLUMN starts_at TEXT NOT NULL DEFAULT '';
    ALTER TABLE event_info ADD COLUMN ends_at TEXT NOT NULL DEFAULT '';
    ALTER TABLE forums ADD COLUMN removed INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1));
  `);
}
