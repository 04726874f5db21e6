import type { Database, Statement } from 'better-sqlite3';
import type { Checkin, CodeCheck, Guest, RecentCheckin, Role, ScanResult, Stats } from '../../../shared/domain.ts';
import { hasHan } from '../../../shared/search/fold.ts';
import { splitFullName } from '../../../shared/roster/records.ts';
import { pinyinTranscription } from '../../../shared/roster/transcription.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { cleanScan } from '../../../shared/codes/scanner-input.ts';
import { parseShortCode } from '../../../shared/codes/short.ts';
import { readScan, type CodeSources } from '../badges/codes/code-lookup.ts';
import { attendanceOf, decideArrival, recordedVoid } from '../../../shared/projection/attendance.ts';
import type { FactOf, Fact } from '../../../shared/sync/fact-schema.ts';
import type { CodeService } from '../badges/codes/signed-codes.ts';
import type { FactLog } from '../facts/log.ts';
import { CHECKIN_SELECT, minimalGuest, toCheckin, type GuestStore } from '../guests/store.ts';
import { createLogger } from '../log.ts';
import type { ShortCodeService } from '../badges/codes/short-codes.ts';
import type { SameScanRule } from './same-scan.ts';

const log = createLogger('checkin');

/** A pulled event of one type, checked by its schema (shared/sync/fact-schema.ts). */
export type RemoteFact<T extends Fact['type']> = FactOf<T>;

/** Who is at the door: the device's door name and the staff member signed in (for the audit trail). */
export interface DoorContext {
  door: string;
  operator: string;
}

export interface WalkInInput {
  name: string;
  organization: string;
  email: string;
  role: Role;
}

/**
 * Keyboard-wedge scanners append Enter/Tab and sometimes a stray CR/LF or NUL; a pasted code may carry
 * spaces. Codes are compared exactly after removing those, so a code is never "almost" matched.
 */
export function normalizeCode(raw: string): string {
  return cleanScan(raw);
}

/**
 * Splits a walk-in's typed name as imports do (shared/roster/records.ts): CJK family name first, with
 * compound family names ("欧阳晓明" → 欧阳 + 晓明); otherwise the last word is the family name.
 */
export const splitName = splitFullName;

/** The note staff must see at the door: the guest's attention note, else "VIP" for a VIP. */
export function attentionOf(guest: Guest): string | null {
  return guest.note.length > 0 ? guest.note : guest.vip ? 'VIP' : null;
}

/** Check-in, undo and walk-in: each writes its event and its projections in one transaction (R1). */
export class CheckinService {
  private readonly firstLive: Statement<[string], Parameters<typeof toCheckin>[0]>;
  private readonly latestLive: Statement<[string], Parameters<typeof toCheckin>[0]>;
  private readonly checkinById: Statement<[string], Parameters<typeof toCheckin>[0]>;
  private readonly insertCheckin: Statement;
  private readonly insertVoid: Statement;
  private readonly insertAttendance: Statement<[string, number, string]>;
  private readonly deleteAttendance: Statement<[string]>;
  private readonly checkinsOf: Statement<[string], { factId: string; hlc: string; voided: number }>;
  private readonly recentStmt: Statement<[number], Parameters<typeof toCheckin>[0]>;
  private readonly voidNaming: Statement<[string], { id: string; actor: string; wall_ms: number }>;
  private readonly voidOf: Statement<[string], { void_fact_id: string; hlc: string }>;
  private readonly replaceVoid: Statement<[string, string, number, string]>;
  private readonly actorOf: Statement<[string], string>;

  private readonly db: Database;
  private readonly facts: FactLog;
  private readonly guests: GuestStore;
  private readonly door: () => DoorContext;
  private readonly codes: CodeService;
  private readonly shortCodes: ShortCodeService;
  readonly sources: CodeSources;
  private readonly sameScan: SameScanRule;

  constructor(
    db: Database,
    facts: FactLog,
    guests: GuestStore,
    door: () => DoorContext,
    codes: CodeService,
    shortCodes: ShortCodeService,
    sameScan: SameScanRule,
  ) {
    this.codes = codes;
    this.shortCodes = shortCodes;
    this.sameScan = sameScan;
    this.sources = {
      guestIdForCode: (code) => guests.guestIdForCode(code),
      short: shortCodes,
      checkSigned: (code) => codes.check(code),
    };
    this.db = db;
    this.facts = facts;
    this.guests = guests;
    this.door = door;
    const live = `${CHECKIN_SELECT} WHERE c.guest_id = ? AND NOT EXISTS
                  (SELECT 1 FROM checkin_voids v WHERE v.checkin_fact_id = c.fact_id)`;
    this.firstLive = db.prepare(`${live} ORDER BY c.hlc ASC LIMIT 1`);
    this.latestLive = db.prepare(`${live} ORDER BY c.hlc DESC LIMIT 1`);
    this.checkinById = db.prepare(`${CHECKIN_SELECT} WHERE c.fact_id = ?`);
    this.insertCheckin = db.prepare(
      `INSERT INTO checkins (fact_id, guest_id, device_id, door, method, hlc, wall_ms)
       VALUES (@factId, @guestId, @deviceId, @door, @method, @hlc, @wallMs)`,
    );
    this.insertVoid = db.prepare(
      `INSERT INTO checkin_voids (checkin_fact_id, void_fact_id, actor, wall_ms) VALUES (?, ?, ?, ?)`,
    );
    this.insertAttendance = db.prepare(
      `INSERT INTO attendance (guest_id, live_checkins, first_fact_id) VALUES (?, ?, ?)`,
    );
    this.deleteAttendance = db.prepare(`DELETE FROM attendance WHERE guest_id = ?`);
    this.checkinsOf = db.prepare(
      `SELECT c.fact_id AS factId, c.hlc,
              EXISTS (SELECT 1 FROM checkin_voids v WHERE v.checkin_fact_id = c.fact_id) AS voided
       FROM checkins c WHERE c.guest_id = ?`,
    );
    this.recentStmt = db.prepare(`${CHECKIN_SELECT} ORDER BY c.hlc DESC LIMIT ?`);
    // The void on record when several name one check-in: the earliest (HLC, then id), as recordedVoid decides.
    this.voidNaming = db.prepare(
      `SELECT id, actor, wall_ms FROM facts WHERE type = 'check_in_void' AND json_extract(payload, '$.voids') = ?
       ORDER BY hlc, id LIMIT 1`,
    );
    this.voidOf = db.prepare(
      `SELECT v.void_fact_id, e.hlc FROM checkin_voids v JOIN facts e ON e.id = v.void_fact_id
       WHERE v.checkin_fact_id = ?`,
    );
    this.actorOf = db.prepare(`SELECT actor FROM facts WHERE id = ?`).pluck() as Statement<[string], string>;
    this.replaceVoid = db.prepare(
      `UPDATE checkin_voids SET void_fact_id = ?, actor = ?, wall_ms = ? WHERE checkin_fact_id = ?`,
    );
  }

  /** Re-derives a guest's attendance row by the shared rule: live check-ins, the earliest is the arrival. */
  private refreshAttendance(guestId: string): void {
    const { live, arrival } = attendanceOf(this.checkinsOf.all(guestId), (c) => c.voided === 1);
    this.deleteAttendance.run(guestId);
    if (arrival !== null) this.insertAttendance.run(guestId, live.length, arrival.factId);
  }

  /**
   * A scan from any host: read (scanner normalisation, exact roster lookup first, then Lanyard codes of
   * format 2 and 1 — code-lookup.ts), then admitted or refused. A refused Lanyard code is invalid_code with
   * its reason, never thrown; an unknown one is unknown_code. Nothing is written for either.
   */
  scan(rawCode: string): ScanResult {
    const reading = readScan(rawCode, this.sources);
    const refuse = (status: 'unknown_code' | 'invalid_code', reason: string): ScanResult => ({
      status,
      code: reading.code,
      guest: null,
      checkin: null,
      firstCheckin: null,
      attention: null,
      reason,
    });
    switch (reading.kind) {
      case 'unknown':
        return refuse('unknown_code', '');
      case 'roster':
        // A Lanyard code on the roster (a walk-in's, synced) is still subject to its guest's revocation.
        if (parseShortCode(reading.code) !== null && this.codes.isRevoked(reading.guestId))
          return refuse('invalid_code', 'revoked_code');
        return this.admit(reading.guestId, 'scan', reading.code);
      case 'short': {
        const guestId = reading.check.guestId;
        if (!reading.check.valid || guestId === null) return refuse('invalid_code', reading.check.reason);
        if (this.codes.isRevoked(guestId)) return refuse('invalid_code', 'revoked_code');
        if (this.guests.get(guestId) === null) {
          // A walk-in registered at another kiosk that has not synced yet: one guest under the id every
          // kiosk derives from the badge, named when the walk_in event arrives (sync/apply.ts). One commit
          // with the check-in (the nested transaction is a savepoint).
          log.info('admitting a walk-in badge of another kiosk before sync', { guestId });
          return this.db.transaction(() => {
            this.guests.insert({ ...minimalGuest(guestId, guestId, ''), walkIn: true, source: 'walk_in' });
            return this.admit(guestId, 'scan', reading.code);
          })();
        }
        return this.admit(guestId, 'scan', reading.code);
      }
      case 'signed':
        return this.scanSigned(reading.code, reading.check);
    }
  }

  /**
   * A Lanyard-signed badge (format 1): genuine (signature, key, revocation, validity) or refused as
   * invalid_code. A genuine badge of a guest this kiosk's roster lacks still admits them, from the payload.
   */
  private scanSigned(code: string, check: CodeCheck): ScanResult {
    if (!check.valid || check.guestId === null) {
      return {
        status: 'invalid_code',
        code,
        guest: null,
        checkin: null,
        firstCheckin: null,
        attention: null,
        reason: check.reason,
      };
    }
    const guestId = check.guestId;
    if (this.guests.get(guestId) === null) {
      const name = check.name ?? guestId;
      this.db.transaction(() =>
        this.guests.insert({
          ...minimalGuest(guestId, name, check.organization ?? ''),
          ...splitName(name),
          nativeName: hasHan(name) ? name : '',
        }),
      )();
      log.info('admitted a signed badge missing from the roster', { guestId, keyId: check.keyId });
    }
    return this.admit(guestId, 'scan', code);
  }

  checkIn(guestId: string): ScanResult {
    this.guests.requireGuest(guestId);
    return this.admit(guestId, 'search', '');
  }

  /** The decision at the door, then (only for an admissible guest) the write. */
  private admit(guestId: string, method: Checkin['method'], code: string): ScanResult {
    const guest = this.guests.requireGuest(guestId);
    const none = { code, checkin: null, attention: null, reason: '' };
    const first = this.firstLive.get(guestId);
    const decision = decideArrival({
      status: guest.status,
      arrival: first === undefined ? null : { factId: first.fact_id },
      sameScanAsArrival: first !== undefined && method === 'scan' && this.isRepeatOf(first.fact_id, guestId, code),
    });
    if (decision === 'cancelled' || decision === 'blocked')
      return { ...none, status: decision, guest, firstCheckin: null };
    if (decision === 'repeat' && first !== undefined) {
      // The scanner read the badge twice: the same scan, answered as the first time, nothing written.
      const checkin = toCheckin(first);
      return {
        ...none,
        status: 'checked_in',
        guest,
        checkin,
        firstCheckin: checkin,
        attention: attentionOf(guest),
        repeat: true,
      };
    }
    if (decision === 'already_checked_in' && first !== undefined) {
      return { ...none, status: 'already_checked_in', guest, firstCheckin: toCheckin(first) };
    }
    const checkin = this.db.transaction(() => this.writeCheckin(guestId, method, code, true))();
    // The guest as it is now, without reading it again: this is the hot path at the door.
    const after: Guest = {
      ...guest,
      checkedIn: true,
      checkedInAt: checkin.at,
      checkedInDoor: checkin.door,
      checkinCount: 1,
    };
    return {
      status: 'checked_in',
      code,
      guest: after,
      checkin,
      firstCheckin: checkin,
      attention: attentionOf(after),
      reason: '',
    };
  }

  /** Whether this kiosk's last own event is the check-in `checkinId` by the same code, within the window. */
  private isRepeatOf(checkinId: string, guestId: string, code: string): boolean {
    const last = this.sameScan.recent('check_in', guestId);
    return last !== null && last.id === checkinId && last.payload['code'] === code;
  }

  /** Event + projections; the caller holds the transaction. */
  private writeCheckin(guestId: string, method: Checkin['method'], code: string, firstLive: boolean): Checkin {
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
    // A first live check-in simply starts the guest's attendance row; otherwise re-derive it.
    if (firstLive) this.insertAttendance.run(guestId, 1, event.id);
    else this.refreshAttendance(guestId);
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

  /** Who made the check-in an undo would void, where and when: the staff rules decide who may undo it. */
  undoTarget(target: { checkinId: string } | { guestId: string }): { actor: string; deviceId: string; wallMs: number } {
    const row = 'checkinId' in target ? this.checkinById.get(target.checkinId) : this.latestLive.get(target.guestId);
    // Nothing to judge: undo() refuses it with the precise reason.
    if (row === undefined) return { actor: '', deviceId: '', wallMs: Number.POSITIVE_INFINITY };
    const actor = this.actorOf.get(row.fact_id) ?? '';
    return { actor, deviceId: row.device_id, wallMs: row.wall_ms };
  }

  /** Voids exactly one check-in (an OR-set remove of that dot); other check-ins of the guest survive. */
  undo(target: { checkinId: string } | { guestId: string }): { voided: Checkin; guest: Guest } {
    const row = 'checkinId' in target ? this.checkinById.get(target.checkinId) : this.latestLive.get(target.guestId);
    if (row === undefined) {
      const what =
        'checkinId' in target ? `check-in with id ${target.checkinId}` : `live check-in of guest ${target.guestId}`;
      throw new LanyardFailure('checkin_not_found', `there is no ${what}`);
    }
    if (row.voided === 1)
      throw new LanyardFailure('checkin_already_voided', `check-in ${row.fact_id} was already undone`);
    const { door, operator } = this.door();
    this.db.transaction(() => {
      const event = this.facts.append('check_in_void', row.guest_id, operator, { voids: row.fact_id, door });
      this.insertVoid.run(row.fact_id, event.id, operator, event.wallMs);
      this.refreshAttendance(row.guest_id);
    })();
    log.info('check-in voided', { checkin: row.fact_id, operator });
    return { voided: { ...toCheckin(row), voided: true }, guest: this.guests.requireGuest(row.guest_id) };
  }

  /**
   * Check-ins another kiosk made (pulled): each one more dot in its guest's set (R11). Nothing is refused
   * after the fact; a guest already in now counts both, and the earliest by HLC stays the arrival. A void
   * that reached us before its check-in applies now. Attendance is re-derived once per guest of the page.
   * The caller holds the transaction.
   */
  applyRemoteCheckins(events: ReadonlyArray<RemoteFact<'check_in'>>): void {
    const guests = new Set<string>();
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
      const earlierVoid = this.voidNaming.get(event.id);
      if (earlierVoid !== undefined)
        this.insertVoid.run(event.id, earlierVoid.id, earlierVoid.actor, earlierVoid.wall_ms);
      guests.add(event.guestId);
    }
    for (const guestId of guests) this.refreshAttendance(guestId);
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
    this.refreshAttendance(row.guest_id);
  }

  walkIn(input: WalkInInput): ScanResult {
    const { familyName, givenName } = splitName(input.name);
    const displayName = input.name.trim();
    const fields = {
      displayName,
      familyName,
      givenName,
      nativeName: hasHan(displayName) ? displayName : '',
      // As imported and demo guests have theirs: found by pinyin, printed on the badge.
      latinName: pinyinTranscription(familyName, givenName),
      organization: input.organization.trim(),
      role: input.role,
      email: input.email.trim(),
      note: '',
      vip: false,
      status: 'active' as const,
      walkIn: true,
      forumPreferences: [],
      phone: '',
      source: 'walk_in' as const,
    };
    const { checkin, id, code } = this.db.transaction(() => {
      // A format 2 walk-in code (36 digits): any kiosk of the event admits it before this walk-in syncs.
      const { code, guestId: id } = this.shortCodes.nextWalkIn();
      const { operator } = this.door();
      const guestFields = { ...fields, codes: [code] };
      // The walk_in event carries the new guest so that other kiosks learn of them through sync.
      this.facts.append('walk_in', id, operator, { guest: guestFields });
      this.guests.insert({ id, ...guestFields });
      return { checkin: this.writeCheckin(id, 'walk_in', code, true), id, code };
    })();
    return {
      status: 'checked_in',
      code,
      guest: this.guests.requireGuest(id),
      checkin,
      firstCheckin: checkin,
      attention: null,
      reason: '',
    };
  }

  recent(limit: number): RecentCheckin[] {
    return this.recentStmt
      .all(limit)
      .map((row) => ({ checkin: toCheckin(row), guest: this.guests.requireGuest(row.guest_id) }));
  }

  stats(): Stats {
    const one = (sql: string): number => (this.db.prepare(sql).get() as { n: number }).n;
    return {
      guests: one(`SELECT count(*) AS n FROM guests WHERE status != 'removed'`),
      // Only guests on the roster count as in: a removed guest's check-ins stay in the log and the
      // export, but "41 of 5 checked in" after a re-import would lie to the door.
      checkedIn: one(
        `SELECT count(*) AS n FROM attendance a JOIN guests g ON g.id = a.guest_id WHERE g.status != 'removed'`,
      ),
      walkIns: one(`SELECT count(*) AS n FROM guests WHERE walk_in = 1`),
      cancelled: one(`SELECT count(*) AS n FROM guests WHERE status IN ('cancelled', 'blocked')`),
      checkinEvents: one(`SELECT count(*) AS n FROM checkins`),
      voided: one(`SELECT count(*) AS n FROM checkin_voids`),
    };
  }
}
