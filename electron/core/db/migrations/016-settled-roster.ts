import type { Database } from 'better-sqlite3';

/**
 * The settled roster, as people and other devices see it: `settled_guests`, `settled_list_members` and
 * `settled_roster_lists` are the tables without what an import still committing its chunks has written
 * (an `import_jobs` row, migration 015: its new guests are the ids guest_from <= id < guest_to, and the
 * list it created, if it made one). Stats, lists, exports, badge batches, forum placement, self-service
 * and the event package read these views, so a guest a failing import then takes back is never counted,
 * exported, printed or published, and a new reader that uses them cannot forget the rule
 * (tests/lint/settled-roster.test.ts keeps readers on them). The scan path keeps its in-memory check
 * (GuestStore.isPending) and reads the tables: no extra work per scan.
 *
 * The first NOT EXISTS has no correlation, so SQLite evaluates it once per statement; while no import
 * writes (nearly always) it is true and the per-row check is skipped. A later migration that rebuilds
 * `guests`, `list_members` or `roster_lists` must drop and recreate these views.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE VIEW settled_guests AS
      SELECT * FROM guests
      WHERE NOT EXISTS (SELECT 1 FROM import_jobs)
         OR NOT EXISTS (SELECT 1 FROM import_jobs j WHERE guests.id >= j.guest_from AND guests.id < j.guest_to);

    CREATE VIEW settled_list_members AS
      SELECT * FROM list_members
      WHERE NOT EXISTS (SELECT 1 FROM import_jobs)
         OR NOT EXISTS (SELECT 1 FROM import_jobs j
                        WHERE list_members.guest_id >= j.guest_from AND list_members.guest_id < j.guest_to);

    CREATE VIEW settled_roster_lists AS
      SELECT * FROM roster_lists
      WHERE NOT EXISTS (SELECT 1 FROM import_jobs j WHERE j.list_created = 1 AND j.list_id = roster_lists.id);
  `);
}
