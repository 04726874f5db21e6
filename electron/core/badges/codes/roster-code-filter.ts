import type { Database, Statement } from 'better-sqlite3';

/**
 * "Certainly not on the roster" for signed badge codes, without asking SQLite. A scan and `codes.verify`
 * look every reading up in `guest_codes` before checking a Lanyard signature (an imported roster code wins
 * over a signed one: code-lookup.ts); for a signed badge that lookup is nearly always a miss, and at
 * 250,000 guests it was about a third of what a check costs beyond the signature itself.
 *
 * Every signed (format 1) code starts with "000" (its first 13 digits encode the version byte 1 and the
 * key id: a value in [2³², 2³³)), so the roster codes that could equal one are the long digit codes
 * starting with "000" — none in nearly every roster, found by a range of `guest_codes`' key. This filter
 * knows whether there are any: when there are none, a long "000" code is no roster code and the lookup is
 * skipped; when there are some (say an organiser imported exported badge codes), every lookup goes to
 * SQLite as before. The answer equals the lookup's:
 * - this connection's writes (imports' copies, edits, sync, walk-ins, migrations of any module) are seen
 *   at once: a TEMP trigger on `guest_codes` marks the answer stale when such a code is written (a write
 *   rolled back only costs one more range read). The trigger is made the first time a long code is
 *   scanned, so a kiosk that never sees a signed badge pays nothing during imports (measured ~20 ms of
 *   the door's thread per 100,000 imported codes when it is there);
 * - another process's (the owner's CLI) within a second, when the range is read again — the rule the
 *   door and operator settings and the staff count already follow (device/context.ts).
 */
const RECHECK_MS = 1000;
const SIGNED_PREFIX = '000';
/** A Lanyard code's least length (looksLikeLanyardCode): shorter codes are always asked of SQLite. */
const LONG = 150;
/**
 * The same bound in SQLite's `length()`, which counts characters where JavaScript counts UTF-16 units (two
 * for a character beyond the BMP): a code JavaScript finds 150 long has at least 75 characters.
 */
const LONG_CHARACTERS = LONG / 2;

export interface RosterCodeFilter {
  /** False only when `code` is certainly in no row of `guest_codes`; true means "ask SQLite". */
  mayBeOnRoster(code: string): boolean;
}

const filters = new WeakMap<Database, RosterCodeFilter>();

/** The filter of `db`'s connection (one per connection: its trigger and function live there). */
export function rosterCodeFilterOf(db: Database, now: () => number = () => performance.now()): RosterCodeFilter {
  let filter = filters.get(db);
  if (filter === undefined) filters.set(db, (filter = openFilter(db, now)));
  return filter;
}

function openFilter(db: Database, now: () => number): RosterCodeFilter {
  let tracking = false;
  let stale = true;
  let readAt = 0;
  let anyLong = true;
  let longCodes: Statement<[], number> | null = null;

  // Made on first use: a kiosk that never sees a long code never runs the trigger.
  const track = () => {
    db.function('lanyard_signed_like_code_written', { deterministic: false }, () => {
      stale = true;
      return null;
    });
    const when = `length(NEW.code) >= ${LONG_CHARACTERS} AND substr(NEW.code, 1, 3) = '${SIGNED_PREFIX}'`;
    db.exec(`
      CREATE TEMP TRIGGER IF NOT EXISTS lanyard_signed_like_code_inserted AFTER INSERT ON main.guest_codes
        WHEN ${when} BEGIN SELECT lanyard_signed_like_code_written(); END;
      CREATE TEMP TRIGGER IF NOT EXISTS lanyard_signed_like_code_updated AFTER UPDATE OF code ON main.guest_codes
        WHEN ${when} BEGIN SELECT lanyard_signed_like_code_written(); END;`);
    // The key's range of codes starting "000" (none but the long ones in a roster that has them).
    longCodes = db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM guest_codes
           WHERE code >= '${SIGNED_PREFIX}' AND code < '001' AND length(code) >= ${LONG_CHARACTERS})`,
      )
      .pluck() as Statement<[], number>;
    tracking = true;
  };

  return {
    mayBeOnRoster(code) {
      // Long codes starting 000, digits or not: the range read counts them all alike.
      if (code.length < LONG || !code.startsWith(SIGNED_PREFIX)) return true;
      if (!tracking) {
        // A TEMP trigger made inside a transaction goes if it rolls back: made only outside one.
        if (db.inTransaction) return true;
        track();
      }
      const t = now();
      if (stale || t - readAt >= RECHECK_MS) {
        anyLong = longCodes!.get() === 1;
        stale = false;
        readAt = t;
      }
      return anyLong;
    },
  };
}
