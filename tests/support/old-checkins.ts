import type { Database, Statement } from 'better-sqlite3';
import type { FactLog } from '../../electron/core/facts/log.ts';
import type { Checkin } from '../../shared/domain.ts';
import { attendanceOf } from '../../shared/projection/attendance.ts';
import type { FactOf } from '../../shared/sync/fact-schema.ts';

/**
 * Check-ins written the way a kiosk before schema 23 wrote them, for the migration tests: the fact, its
 * `checkins` row, a void's `checkin_voids` row, and the guest's `attendance` row re-derived by the shared
 * rule after each (the table migration 23 replaced by a view). Same columns in schemas 18–22.
 */
export class OldCheckinWriter {
  private readonly insertCheckin: Statement;
  private readonly insertVoid: Statement<[string, string, string, number]>;
  private readonly checkinsOf: Statement<[string], { factId: string; hlc: string; voided: number }>;
  private readonly deleteAttendance: Statement<[string]>;
  private readonly insertAttendance: Statement<[string, number, string]>;
  private readonly facts: FactLog;

  constructor(db: Database, facts: FactLog) {
    this.facts = facts;
    this.insertCheckin = db.prepare(
      `INSERT INTO checkins (fact_id, guest_id, device_id, door, method, hlc, wall_ms)
       VALUES (@factId, @guestId, @deviceId, @door, @method, @hlc, @wallMs)`,
    );
    this.insertVoid = db.prepare(
      `INSERT INTO checkin_voids (checkin_fact_id, void_fact_id, actor, wall_ms) VALUES (?, ?, ?, ?)`,
    );
    this.checkinsOf = db.prepare(
      `SELECT c.fact_id AS factId, c.hlc,
              EXISTS (SELECT 1 FROM checkin_voids v WHERE v.checkin_fact_id = c.fact_id) AS voided
       FROM checkins c WHERE c.guest_id = ?`,
    );
    this.deleteAttendance = db.prepare(`DELETE FROM attendance WHERE guest_id = ?`);
    this.insertAttendance = db.prepare(
      `INSERT INTO attendance (guest_id, live_checkins, first_fact_id) VALUES (?, ?, ?)`,
    );
  }

  private refresh(guestId: string): void {
    const { live, arrival } = attendanceOf(this.checkinsOf.all(guestId), (c) => c.voided === 1);
    this.deleteAttendance.run(guestId);
    if (arrival !== null) this.insertAttendance.run(guestId, live.length, arrival.factId);
  }

  /** This kiosk's check-in of `guestId` at door North by Ada; the caller holds the transaction. */
  checkIn(guestId: string, method: Checkin['method'], code: string): { id: string; at: string } {
    const fact = this.facts.append('check_in', guestId, 'Ada', { door: 'North', method, code });
    this.insertCheckin.run({
      factId: fact.id,
      guestId,
      deviceId: fact.deviceId,
      door: 'North',
      method,
      hlc: fact.hlc,
      wallMs: fact.wallMs,
    });
    this.refresh(guestId);
    return { id: fact.id, at: new Date(fact.wallMs).toISOString() };
  }

  /** This kiosk's undo of check-in `checkinId` of `guestId`; the caller holds the transaction. */
  undo(checkinId: string, guestId: string): void {
    const fact = this.facts.append('check_in_void', guestId, 'Ada', { voids: checkinId, door: 'North' });
    this.insertVoid.run(checkinId, fact.id, 'Ada', fact.wallMs);
    this.refresh(guestId);
  }

  /** Check-ins pulled from another kiosk (already in `facts`); the caller holds the transaction. */
  applyPulled(pulled: ReadonlyArray<FactOf<'check_in'>>): void {
    for (const fact of pulled) {
      this.insertCheckin.run({
        factId: fact.id,
        guestId: fact.guestId,
        deviceId: fact.deviceId,
        door: fact.payload.door,
        method: fact.payload.method,
        hlc: fact.hlc,
        wallMs: fact.wallMs,
      });
      this.refresh(fact.guestId);
    }
  }
}
