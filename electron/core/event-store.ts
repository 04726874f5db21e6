import type { Database } from 'better-sqlite3';
import type { EventInfo, Forum } from '../../shared/domain.ts';

interface EventRow {
  id: string;
  name_zh: string;
  name_en: string;
  name_de: string;
  date: string;
  venue_zh: string;
  venue_en: string;
  venue_de: string;
  timezone: string;
}

interface ForumRow {
  id: string;
  name_zh: string;
  name_en: string;
  name_de: string;
  room: string;
  capacity: number;
  starts_at: string;
  ends_at: string;
  colour: string;
}

/** The event this kiosk serves (one per data directory) and its forums. */
export function readEvent(db: Database): EventInfo | null {
  const row = db.prepare(`SELECT * FROM event_info LIMIT 1`).get() as EventRow | undefined;
  if (row === undefined) return null;
  const forums = (db.prepare(`SELECT * FROM forums ORDER BY position`).all() as ForumRow[]).map((f): Forum => ({
    id: f.id,
    name: { zh: f.name_zh, en: f.name_en, de: f.name_de },
    room: f.room,
    capacity: f.capacity,
    startsAt: f.starts_at,
    endsAt: f.ends_at,
    colour: f.colour,
  }));
  return {
    id: row.id,
    name: { zh: row.name_zh, en: row.name_en, de: row.name_de },
    date: row.date,
    venue: { zh: row.venue_zh, en: row.venue_en, de: row.venue_de },
    timezone: row.timezone,
    forums,
  };
}

/** Writes the event and its forums; the caller owns the transaction. */
export function writeEvent(db: Database, event: EventInfo): void {
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
