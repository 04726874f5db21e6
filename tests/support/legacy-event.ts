import type { Database } from 'better-sqlite3';
import type { EventInfo } from '../../shared/domain.ts';

/**
 * Writes an event as schemas 2–11 stored it (before migration 12 added its start, end and removable
 * forums), for tests that build an old kiosk database and upgrade it. writeEvent writes today's columns.
 */
export function writeLegacyEvent(db: Database, event: EventInfo): void {
  db.prepare(
    `INSERT INTO event_info (id, name_zh, name_en, name_de, date, venue_zh, venue_en, venue_de, timezone)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    event.id,
    event.name.zh,
    event.name.en,
    event.name.de,
    event.date,
    event.venue.zh,
    event.venue.en,
    event.venue.de,
    event.timezone,
  );
  const insertForum = db.prepare(
    `INSERT INTO forums (id, position, name_zh, name_en, name_de, room, capacity, starts_at, ends_at, colour)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCounts = db.prepare(`INSERT INTO forum_counts (forum_id, assigned, inside) VALUES (?, 0, 0)`);
  event.forums.forEach((f, i) => {
    insertForum.run(f.id, i, f.name.zh, f.name.en, f.name.de, f.room, f.capacity, f.startsAt, f.endsAt, f.colour);
    insertCounts.run(f.id);
  });
}
