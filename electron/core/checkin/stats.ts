import type { Database } from 'better-sqlite3';
import type { Stats } from '../../../shared/domain.ts';
import { GUESTS_IN } from './checkin-row.ts';

/**
 * The door's counts: guests on the roster, checked in, walk-ins, cancelled, check-in events, voids. The
 * roster is `settled_guests` (migration 016): an import still writing is not counted until it ends.
 */
export function checkinStats(db: Database): Stats {
  const one = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  return {
    guests: one(`SELECT count(*) AS n FROM settled_guests WHERE status != 'removed'`),
    // Only guests on the roster count as in: a removed guest's check-ins stay in the log and the
    // export, but "41 of 5 checked in" after a re-import would lie to the door.
    checkedIn: one(
      `SELECT count(*) AS n FROM (${GUESTS_IN}) a JOIN settled_guests g ON g.id = a.guest_id WHERE g.status != 'removed'`,
    ),
    walkIns: one(`SELECT count(*) AS n FROM settled_guests WHERE walk_in = 1`),
    cancelled: one(`SELECT count(*) AS n FROM settled_guests WHERE status IN ('cancelled', 'blocked')`),
    checkinEvents: one(`SELECT count(*) AS n FROM checkins`),
    voided: one(`SELECT count(*) AS n FROM checkin_voids`),
  };
}
