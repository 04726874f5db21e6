import type { Database, Statement } from 'better-sqlite3';
import { sqlTextLiteral } from '../db/sql-literal.ts';

/**
 * A scanner that reads one badge twice (a double beep, a badge held under the beam) must not turn the
 * fresh green into amber "already checked in". A repeat of the same code at the same kiosk within this
 * window is the same scan: the kiosk answers it as it answered the first time and writes nothing.
 */
export const SAME_SCAN_WINDOW_MS = 2000;

/** The newest event this kiosk wrote itself. */
export interface OwnEvent {
  id: string;
  type: string;
  guestId: string;
  wallMs: number;
  payload: Record<string, unknown>;
}

/**
 * Decides "same scan" from the event log rather than from memory, so every host gets it (the CLI runs one
 * process per command) and anything the kiosk did in between (another check-in, an undo, an entry) ends
 * the window: only the kiosk's very last own event can be repeated.
 */
export class SameScanRule {
  private readonly lastOwn: Statement<
    [string],
    { id: string; type: string; guest_id: string; wall_ms: number; payload: string }
  >;
  private readonly now: () => number;
  private readonly windowMs: number;

  constructor(db: Database, deviceId: string, now: () => number, windowMs: number) {
    this.now = now;
    this.windowMs = windowMs;
    // The badge the screen prints for this guest right after the answer (print on check-in) is part of the
    // same arrival, not something else the door did: skipped, or the scanner's second read turns amber.
    // This kiosk's device id as a literal: bound, it made SQLite prepare this again at every call (sql-literal.ts).
    this.lastOwn = db.prepare(
      `SELECT id, type, guest_id, wall_ms, payload FROM facts
        WHERE device_id = ${sqlTextLiteral(deviceId)} AND NOT (type = 'badge_print' AND guest_id = ?)
        ORDER BY device_seq DESC LIMIT 1`,
    );
  }

  /**
   * The kiosk's last own event (badge prints of `guestId` aside) if it is of `type`, for `guestId`, and
   * written less than the window ago
   * (a clock set back makes the age negative: then it is not a repeat).
   */
  recent(type: string, guestId: string): OwnEvent | null {
    if (this.windowMs <= 0) return null;
    const row = this.lastOwn.get(guestId);
    if (row === undefined || row.type !== type || row.guest_id !== guestId) return null;
    const age = this.now() - row.wall_ms;
    if (age < 0 || age >= this.windowMs) return null;
    return {
      id: row.id,
      type: row.type,
      guestId: row.guest_id,
      wallMs: row.wall_ms,
      payload: JSON.parse(row.payload) as Record<string, unknown>,
    };
  }
}
