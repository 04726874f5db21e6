import type { Database } from 'better-sqlite3';

/**
 * One B-tree fewer in every scan's commit, for the door's latency: `attendance` (one row per guest who is
 * in: the live count and the arrival) is no longer a table written with each check-in but a view derived
 * from `checkins` and `checkin_voids`. It was a B-tree keyed by guest id — a random page in every admitting
 * scan's WAL commit and fsync (1.2–1.3 pages per scan at 250,000 guests, splits included), and the same
 * guest-keyed answer `checkins_by_guest` already gives: a guest's live check-ins are their range of that
 * index without the voided ones, the earliest by (HLC, id) is the arrival (shared/projection/attendance.ts).
 * A scan now writes 4 B-trees: the fact and its id key, the check-in and checkins_by_guest.
 *
 * The view keeps the table's columns and answers for readers of the whole table (counts, duplicates,
 * forum arrivals). A reader of one guest must not ask the view (SQLite computes an aggregate view whole
 * before filtering it by a correlated column): it reads the guest's range of `checkins` directly
 * (checkin-row.ts, LIVE_CHECKINS_OF). HLCs hold no space, so `hlc || ' ' || fact_id` orders as (hlc,
 * fact_id) and the id is what follows the space.
 *
 * Nothing points at `attendance` (its own keys pointed at guests and facts), so the table is dropped in
 * the runner's transaction; its rows are exactly what the view derives (the property test
 * projection-agreement.test.ts held the table to that rule), and the migration test compares them.
 */
export function up(db: Database): void {
  db.exec(`
    DROP TABLE attendance;
    CREATE VIEW attendance (guest_id, live_checkins, first_fact_id) AS
      SELECT c.guest_id, count(*), substr(min(c.hlc || ' ' || c.fact_id), instr(min(c.hlc || ' ' || c.fact_id), ' ') + 1)
      FROM checkins c
      WHERE NOT EXISTS (SELECT 1 FROM checkin_voids v WHERE v.checkin_fact_id = c.fact_id)
      GROUP BY c.guest_id;
  `);
}
