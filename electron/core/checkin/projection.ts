import type { Database, Statement } from 'better-sqlite3';
import type { Checkin } from '../../../shared/domain.ts';
import { recordedVoid } from '../../../shared/projection/attendance.ts';
import type { FactOf, Fact } from '../../../shared/sync/fact-schema.ts';
import type { FactLog } from '../facts/log.ts';
import { CHECKIN_COLUMNS, CHECKIN_SELECT, liveCheckinsOf, toCheckin } from './checkin-row.ts';

/** A pulled event of one type, checked by its schema (shared/sync/fact-schema.ts). */
export type RemoteFact<T extends Fact['type']> = FactOf<T>;

/** Who is at the door: the device's door name and the staff member signed in (for the audit trail). */
export interface DoorContext {
  door: string;
  operator: string;
}

/** A row of the checkins table as CHECKIN_SELECT reads it. */
export type CheckinRow = Parameters<typeof toCheckin>[0];

/** Which check-in an undo names: by its id, or the guest's latest live one. */
export type UndoTarget = { checkinId: string } | { guestId: string };

/**
 * The check-in projections: the checkins and checkin_voids tables, written with their events (local) or
 * from pulled events (remote). CheckinService decides; this keeps the tables in step. A guest's attendance
 * (live check-ins, the earliest by HLC the arrival) is derived from them as it is read (migration 23: one
 * B-tree fewer in a scan's commit), by the rule of shared/projection/attendance.ts.
 */
export class CheckinProjection {
  private readonly firstLive: Statement<[string], CheckinRow>;
  private readonly latestLive: Statement<[string], CheckinRow>;
  private readonly checkinById: Statement<[string], CheckinRow>;
  private readonly insertCheckin: Statement;
  private readonly insertVoid: Statement;
  private readonly recentStmt: Statement<[number], CheckinRow>;
  private readonly voidNaming: Statement<[string], { id: string; actor: string; wall_ms: number }>;
  private readonly anyVoidNaming: Statement<[string], number>;
  private readonly voidOf: Statement<[string], { void_fact_id: string; hlc: string }>;
  private readonly replaceVoid: Statement<[string, string, number, string]>;
  private readonly actorStmt: Statement<[string], string>;

  private readonly facts: FactLog;
  private readonly door: () => DoorContext;

  constructor(db: Database, facts: FactLog, door: () => DoorContext) {
    this.facts = facts;
    this.door = door;
    // The guest id as CAST(? AS TEXT), not a bare parameter: bare, SQLite prepared these two again at every
    // call (52–62 µs against 7 µs a repeat scan's arrival read, same rows, same plan; see db/sql-literal.ts).
    const live = `${CHECKIN_COLUMNS} ${liveCheckinsOf('CAST(? AS TEXT)')}`;
    this.firstLive = db.prepare(`${live} ORDER BY c.hlc, c.fact_id LIMIT 1`);
    this.latestLive = db.prepare(`${live} ORDER BY c.hlc DESC, c.fact_id DESC LIMIT 1`);
    // No key on checkins.fact_id (migration 22): the fact's HLC and its id are the check-in's key.
    this.checkinById = db.prepare(
      `${CHECKIN_SELECT} WHERE (c.hlc, c.fact_id) = (SELECT hlc, id FROM facts WHERE id = ?)`,
    );
    this.insertCheckin = db.prepare(
      `INSERT INTO checkins (fact_id, guest_id, device_id, door, method, hlc, wall_ms)
       VALUES (@factId, @guestId, @deviceId, @door, @method, @hlc, @wallMs)`,
    );
    this.insertVoid = db.prepare(
      `INSERT INTO checkin_voids (checkin_fact_id, void_fact_id, actor, wall_ms) VALUES (?, ?, ?, ?)`,
    );
    this.recentStmt = db.prepare(`${CHECKIN_SELECT} ORDER BY c.hlc DESC LIMIT ?`);
    // The void on record when several name one check-in: the earliest (HLC, then id), as recordedVoid decides.
    // Whether any void names it, by the same index without the sort: a pulled check-in nearly never has
    // one, and the sort's set-up was as much of its cost as inserting it.
    this.anyVoidNaming = db
      .prepare(`SELECT 1 FROM facts WHERE type = 'check_in_void' AND json_extract(payload, '$.voids') = ? LIMIT 1`)
      .pluck() as Statement<[string], number>;
    this.voidNaming = db.prepare(
      `SELECT id, actor, wall_ms FROM facts WHERE type = 'check_in_void' AND json_extract(payload, '$.voids') = ?
       ORDER BY hlc, id LIMIT 1`,
    );
    this.voidOf = db.prepare(
      `SELECT v.void_fact_id, e.hlc FROM checkin_voids v JOIN facts e ON e.id = v.void_fact_id
       WHERE v.checkin_fact_id = ?`,
    );
    this.actorStmt = db.prepare(`SELECT actor FROM facts WHERE id = ?`).pluck() as Statement<[string], string>;
    this.replaceVoid = db.prepare(
      `UPDATE checkin_voids SET void_fact_id = ?, actor = ?, wall_ms = ? WHERE checkin_fact_id = ?`,
    );
  }

  /** The guest's earliest live check-in (the arrival), if any. */
  firstLiveOf(guestId: string): CheckinRow | undefined {
    return this.firstLive.get(guestId);
  }

  /** The check-in an undo names: by id, or the guest's latest live one. */
  undoRow(target: UndoTarget): CheckinRow | undefined {
    return 'checkinId' in target ? this.checkinById.get(target.checkinId) : this.latestLive.get(target.guestId);
  }

  /** Who recorded the event `factId`. */
  actorOf(factId: string): string | undefined {
    return this.actorStmt.get(factId);
  }

  /** The latest `limit` check-ins by HLC. */
  recentRows(limit: number): CheckinRow[] {
    return this.recentStmt.all(limit);
  }

  /** Event + projection; the caller holds the transaction. */
  writeCheckin(guestId: string, method: Checkin['method'], code: string): Checkin {
    const { door, operator } = this.door();
    const event = this.facts.append('check_in', guestId, operator, { door, method, code });
    this.insertCheckin.run({
      factId: event.id,
      guestId,
      deviceId: event.deviceId,
      door,
      method,
      hlc: event.hlc,
      wallMs: event.wallMs,
    });
    return {
      id: event.id,
      guestId,
      deviceId: event.deviceId,
      door,
      method,
      hlc: event.hlc,
      at: new Date(event.wallMs).toISOString(),
      voided: false,
    };
  }

  /** The void event of check-in `row` + projections; the caller holds the transaction. */
  writeVoid(row: CheckinRow, door: string, operator: string): void {
    const event = this.facts.append('check_in_void', row.guest_id, operator, { voids: row.fact_id, door });
    this.insertVoid.run(row.fact_id, event.id, operator, event.wallMs);
  }

  /**
   * Check-ins another kiosk made (pulled): each one more dot in its guest's set (R11). Nothing is refused
   * after the fact; a guest already in now counts both, and the earliest by HLC stays the arrival (both
   * derived as they are read). A void that reached us before its check-in applies now. The caller holds
   * the transaction.
   */
  applyRemoteCheckins(events: ReadonlyArray<RemoteFact<'check_in'>>): void {
    for (const event of events) {
      this.insertCheckin.run({
        factId: event.id,
        guestId: event.guestId,
        deviceId: event.deviceId,
        door: event.payload.door,
        method: event.payload.method,
        hlc: event.hlc,
        wallMs: event.wallMs,
      });
      const earlierVoid = this.anyVoidNaming.get(event.id) === undefined ? undefined : this.voidNaming.get(event.id);
      if (earlierVoid !== undefined)
        this.insertVoid.run(event.id, earlierVoid.id, earlierVoid.actor, earlierVoid.wall_ms);
    }
  }

  /** A void made on another kiosk: removes exactly the check-in it names (R12), if that is here yet. */
  applyRemoteVoid(event: RemoteFact<'check_in_void'>): void {
    const target = event.payload.voids;
    const row = this.checkinById.get(target);
    if (row === undefined) return;
    if (row.voided === 1) {
      // Two kiosks undid the same check-in: the earliest undo (HLC, then id) is the one on record,
      // whichever arrived first, so every kiosk shows the same who and when.
      const current = this.voidOf.get(target)!;
      const onRecord = recordedVoid(
        { factId: current.void_fact_id, hlc: current.hlc },
        { factId: event.id, hlc: event.hlc },
      );
      if (onRecord.factId === event.id) {
        this.replaceVoid.run(event.id, event.actor, event.wallMs, target);
      }
      return;
    }
    this.insertVoid.run(target, event.id, event.actor, event.wallMs);
  }
}
