import type { Database } from 'better-sqlite3';

/**
 * The kiosk's first schema. `events` is the append-only log and the sync outbox (no second queue);
 * `checkins`, `checkin_voids` and `attendance` are projections written in the same transaction.
 * STRICT tables, NOT NULL everywhere: an absent value is a row that does not exist, not a NULL.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE event_info (
      id TEXT PRIMARY KEY,
      name_zh TEXT NOT NULL,
      name_en TEXT NOT NULL,
      name_de TEXT NOT NULL,
      date TEXT NOT NULL,
      venue_zh TEXT NOT NULL,
      venue_en TEXT NOT NULL,
      venue_de TEXT NOT NULL,
      timezone TEXT NOT NULL
    ) STRICT;

    CREATE TABLE forums (
      id TEXT PRIMARY KEY,
      position INTEGER NOT NULL,
      name_zh TEXT NOT NULL,
      name_en TEXT NOT NULL,
      name_de TEXT NOT NULL,
      room TEXT NOT NULL,
      capacity INTEGER NOT NULL CHECK (capacity >= 0),
      starts_at TEXT NOT NULL,
      ends_at TEXT NOT NULL,
      colour TEXT NOT NULL
    ) STRICT;

    CREATE TABLE guests (
      id TEXT PRIMARY KEY,
      display_name TEXT NOT NULL,
      family_name TEXT NOT NULL,
      given_name TEXT NOT NULL,
      native_name TEXT NOT NULL,
      latin_name TEXT NOT NULL,
      organization TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('speaker', 'partner', 'guest', 'press', 'staff', 'vip')),
      email TEXT NOT NULL,
      note TEXT NOT NULL,
      vip INTEGER NOT NULL CHECK (vip IN (0, 1)),
      status TEXT NOT NULL CHECK (status IN ('active', 'cancelled', 'blocked', 'removed')),
      walk_in INTEGER NOT NULL CHECK (walk_in IN (0, 1))
    ) STRICT;

    CREATE TABLE guest_codes (
      code TEXT PRIMARY KEY,
      guest_id TEXT NOT NULL REFERENCES guests (id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX guest_codes_by_guest ON guest_codes (guest_id);

    -- Prefix search: every folded key a query may start with (see shared/search/keys.ts). A derived
    -- index rebuilt with its guest, so no foreign key: checking one per row made imports ~30% slower.
    CREATE TABLE search_keys (
      key TEXT NOT NULL,
      guest_id TEXT NOT NULL,
      weight INTEGER NOT NULL,
      PRIMARY KEY (key, guest_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX search_keys_by_guest ON search_keys (guest_id, key);

    CREATE TABLE devices (
      id TEXT PRIMARY KEY,
      door TEXT NOT NULL
    ) STRICT;

    CREATE TABLE events (
      id TEXT PRIMARY KEY,
      device_id TEXT NOT NULL,
      device_seq INTEGER NOT NULL CHECK (device_seq >= 1),
      type TEXT NOT NULL CHECK (type IN ('check_in', 'check_in_void', 'forum_assign', 'walk_in', 'guest_edit', 'badge_print', 'note', 'forum_entry')),
      guest_id TEXT NOT NULL,
      hlc TEXT NOT NULL,
      wall_ms INTEGER NOT NULL,
      actor TEXT NOT NULL,
      payload TEXT NOT NULL CHECK (json_valid(payload)),
      UNIQUE (device_id, device_seq)
    ) STRICT;
    CREATE INDEX events_by_hlc ON events (hlc);

    CREATE TABLE checkins (
      event_id TEXT PRIMARY KEY REFERENCES events (id),
      guest_id TEXT NOT NULL REFERENCES guests (id),
      device_id TEXT NOT NULL,
      door TEXT NOT NULL,
      method TEXT NOT NULL CHECK (method IN ('scan', 'search', 'walk_in')),
      hlc TEXT NOT NULL,
      wall_ms INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX checkins_by_guest ON checkins (guest_id, hlc);
    CREATE INDEX checkins_by_hlc ON checkins (hlc);

    CREATE TABLE checkin_voids (
      checkin_event_id TEXT PRIMARY KEY REFERENCES checkins (event_id),
      void_event_id TEXT NOT NULL UNIQUE REFERENCES events (id),
      actor TEXT NOT NULL,
      wall_ms INTEGER NOT NULL
    ) STRICT;

    -- One row per guest who is in: how many live (unvoided) check-ins, and the earliest by HLC.
    CREATE TABLE attendance (
      guest_id TEXT PRIMARY KEY REFERENCES guests (id),
      live_checkins INTEGER NOT NULL CHECK (live_checkins > 0),
      first_event_id TEXT NOT NULL REFERENCES checkins (event_id)
    ) STRICT;
  `);
}
