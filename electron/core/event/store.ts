import type { Database } from 'better-sqlite3';
import type { EventInfo, Forum } from '../../../shared/domain.ts';
import { LanyardFailure } from '../../../shared/result.ts';

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
  starts_at: string;
  ends_at: string;
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
  const forums = (db.prepare(`SELECT * FROM forums WHERE removed = 0 ORDER BY position`).all() as ForumRow[]).map(
    (f): Forum => ({
      id: f.id,
      name: { zh: f.name_zh, en: f.name_en, de: f.name_de },
      room: f.room,
      capacity: f.capacity,
      startsAt: f.starts_at,
      endsAt: f.ends_at,
      colour: f.colour,
    }),
  );
  return {
    id: row.id,
    name: { zh: row.name_zh, en: row.name_en, de: row.name_de },
    date: row.date,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    venue: { zh: row.venue_zh, en: row.venue_en, de: row.venue_de },
    timezone: row.timezone,
    forums,
  };
}

/** The event's forum with this id; `forum_not_found` when there is none (or no event). */
export function forumOf(event: EventInfo | null, forumId: string): Forum {
  const forum = event?.forums.find((f) => f.id === forumId);
  if (forum === undefined) throw new LanyardFailure('forum_not_found', `no forum with id ${forumId}`);
  return forum;
}

const eventColumns = (event: Omit<EventInfo, 'forums'>) => ({
  id: event.id,
  nameZh: event.name.zh,
  nameEn: event.name.en,
  nameDe: event.name.de,
  date: event.date,
  venueZh: event.venue.zh,
  venueEn: event.venue.en,
  venueDe: event.venue.de,
  timezone: event.timezone,
  startsAt: event.startsAt,
  endsAt: event.endsAt,
});

/** Writes the event and its forums; the caller owns the transaction. */
export function writeEvent(db: Database, event: EventInfo): void {
  db.prepare(
    `INSERT INTO event_info (id, name_zh, name_en, name_de, date, venue_zh, venue_en, venue_de, timezone, starts_at, ends_at)
     VALUES (@id, @nameZh, @nameEn, @nameDe, @date, @venueZh, @venueEn, @venueDe, @timezone, @startsAt, @endsAt)`,
  ).run(eventColumns(event));
  event.forums.forEach((f, i) => writeForum(db, f, i));
}

/** Rewrites the event's own fields (never its id or forums); the caller owns the transaction. */
export function updateEventRow(db: Database, event: Omit<EventInfo, 'forums'>): void {
  db.prepare(
    `UPDATE event_info SET name_zh = @nameZh, name_en = @nameEn, name_de = @nameDe, date = @date,
       venue_zh = @venueZh, venue_en = @venueEn, venue_de = @venueDe, timezone = @timezone,
       starts_at = @startsAt, ends_at = @endsAt
     WHERE id = @id`,
  ).run(eventColumns(event));
}

/**
 * Inserts a forum at `position`, or brings a removed one with the same id back with these fields (its
 * counters and history stay). The caller owns the transaction.
 */
export function writeForum(db: Database, f: Forum, position: number): void {
  db.prepare(
    `INSERT INTO forums (id, position, name_zh, name_en, name_de, room, capacity, starts_at, ends_at, colour, removed)
     VALUES (@id, @position, @zh, @en, @de, @room, @capacity, @startsAt, @endsAt, @colour, 0)
     ON CONFLICT (id) DO UPDATE SET position = excluded.position, name_zh = excluded.name_zh,
       name_en = excluded.name_en, name_de = excluded.name_de, room = excluded.room, capacity = excluded.capacity,
       starts_at = excluded.starts_at, ends_at = excluded.ends_at, colour = excluded.colour, removed = 0`,
  ).run({ ...f, ...f.name, position });
  db.prepare(`INSERT OR IGNORE INTO forum_counts (forum_id, assigned, inside) VALUES (?, 0, 0)`).run(f.id);
}

/** Ids of removed forums (hidden from every list, kept for their history). */
export function removedForumIds(db: Database): Set<string> {
  return new Set(db.prepare(`SELECT id FROM forums WHERE removed = 1`).pluck().all() as string[]);
}
