import type { Database } from 'better-sqlite3';
import type { Checkin, CodeCheck, Guest, RecentCheckin, ScanResult, Stats } from '../../../shared/domain.ts';
import { hasHan } from '../../../shared/search/fold.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { parseShortCode } from '../../../shared/codes/short.ts';
import { readScan, type CodeSources } from '../badges/codes/code-lookup.ts';
import { rosterCodeFilterOf } from '../badges/codes/roster-code-filter.ts';
import { decideArrival } from '../../../shared/projection/attendance.ts';
import type { CodeService } from '../badges/codes/signed-codes.ts';
import type { FactLog } from '../facts/log.ts';
import { minimalGuest } from '../guests/row.ts';
import type { GuestStore } from '../guests/store.ts';
import { toCheckin } from './checkin-row.ts';
import { settleDoorCache } from '../db/page-cache.ts';
import { createLogger } from '../log.ts';
import type { ShortCodeService } from '../badges/codes/short-codes.ts';
import type { SameScanRule } from './same-scan.ts';
import { attentionOf, splitName } from './door-rules.ts';
import { checkinStats } from './stats.ts';
import { walkInGuestFields, type WalkInInput } from './walk-in.ts';
import { CheckinProjection, type DoorContext, type RemoteFact, type UndoTarget } from './projection.ts';

export type { DoorContext, RemoteFact } from './projection.ts';
export { attentionOf, normalizeCode, splitName } from './door-rules.ts';
export type { WalkInInput } from './walk-in.ts';

const log = createLogger('checkin');

/** Check-in, undo and walk-in: each writes its event and its projections in one transaction (R1). */
export class CheckinService {
  private readonly db: Database;
  private readonly facts: FactLog;
  private readonly guests: GuestStore;
  private readonly door: () => DoorContext;
  private readonly codes: CodeService;
  private readonly shortCodes: ShortCodeService;
  readonly sources: CodeSources;
  private readonly sameScan: SameScanRule;
  /** The checkins and checkin_voids tables, attendance derived from them (projection.ts). */
  private readonly projection: CheckinProjection;
  /** A guest's first live check-in, fact and projections in one transaction: made once, not per scan. */
  private readonly writeArrival: (guestId: string, method: Checkin['method'], code: string) => Checkin;

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
    // A signed badge's code is nearly never on the roster: the filter says so without SQL (roster-code-filter.ts).
    const rosterCodes = rosterCodeFilterOf(db);
    this.sources = {
      guestIdForCode: (code) => (rosterCodes.mayBeOnRoster(code) ? guests.guestIdForCode(code) : null),
      short: shortCodes,
      checkSigned: (code) => codes.check(code),
    };
    this.db = db;
    this.facts = facts;
    this.guests = guests;
    this.door = door;
    this.projection = new CheckinProjection(db, facts, door);
    this.writeArrival = db.transaction((guestId: string, method: Checkin['method'], code: string) =>
      this.projection.writeCheckin(guestId, method, code),
    );
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
        // A guest of an import still writing is not on the roster yet (GuestStore.isPending).
        if (this.guests.isPending(guestId)) return refuse('unknown_code', '');
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
    const refused: ScanResult = {
      status: 'invalid_code',
      code,
      guest: null,
      checkin: null,
      firstCheckin: null,
      attention: null,
      reason: check.reason,
    };
    if (!check.valid || check.guestId === null) return refused;
    const guestId = check.guestId;
    if (this.guests.isPending(guestId)) return { ...refused, status: 'unknown_code', reason: '' };
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
    // The guest is read with their live check-ins (GuestStore: their range of checkins_by_guest): a guest
    // not in yet, nearly every scan at the door, has no arrival to look up.
    const first = guest.checkedIn ? this.projection.firstLiveOf(guestId) : undefined;
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
    // Outside the write's transaction: the small page cache back if bulk work left the large one (page-cache.ts).
    settleDoorCache(this.db);
    const checkin = this.writeArrival(guestId, method, code);
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

  /** Who made the check-in an undo would void, where and when: the staff rules decide who may undo it. */
  undoTarget(target: UndoTarget): { actor: string; deviceId: string; wallMs: number } {
    const row = this.projection.undoRow(target);
    // Nothing to judge: undo() refuses it with the precise reason.
    if (row === undefined) return { actor: '', deviceId: '', wallMs: Number.POSITIVE_INFINITY };
    const actor = this.projection.actorOf(row.fact_id) ?? '';
    return { actor, deviceId: row.device_id, wallMs: row.wall_ms };
  }

  /** Voids exactly one check-in (an OR-set remove of that dot); other check-ins of the guest survive. */
  undo(target: UndoTarget): { voided: Checkin; guest: Guest } {
    const row = this.projection.undoRow(target);
    if (row === undefined) {
      const what =
        'checkinId' in target ? `check-in with id ${target.checkinId}` : `live check-in of guest ${target.guestId}`;
      throw new LanyardFailure('checkin_not_found', `there is no ${what}`);
    }
    if (row.voided === 1)
      throw new LanyardFailure('checkin_already_voided', `check-in ${row.fact_id} was already undone`);
    const { door, operator } = this.door();
    this.db.transaction(() => this.projection.writeVoid(row, door, operator))();
    log.info('check-in voided', { checkin: row.fact_id, operator });
    return { voided: { ...toCheckin(row), voided: true }, guest: this.guests.requireGuest(row.guest_id) };
  }

  /** Check-ins another kiosk made (pulled), as CheckinProjection applies them; the caller holds the transaction. */
  applyRemoteCheckins(events: ReadonlyArray<RemoteFact<'check_in'>>): void {
    this.projection.applyRemoteCheckins(events);
  }

  /** A void made on another kiosk: removes exactly the check-in it names (R12), if that is here yet. */
  applyRemoteVoid(event: RemoteFact<'check_in_void'>): void {
    this.projection.applyRemoteVoid(event);
  }

  walkIn(input: WalkInInput): ScanResult {
    const fields = walkInGuestFields(input);
    const { checkin, id, code } = this.db.transaction(() => {
      // A format 2 walk-in code (36 digits): any kiosk of the event admits it before this walk-in syncs.
      const { code, guestId: id } = this.shortCodes.nextWalkIn();
      const { operator } = this.door();
      const guestFields = { ...fields, codes: [code] };
      // The walk_in event carries the new guest so that other kiosks learn of them through sync.
      this.facts.append('walk_in', id, operator, { guest: guestFields });
      this.guests.insert({ id, ...guestFields });
      return { checkin: this.projection.writeCheckin(id, 'walk_in', code), id, code };
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
    return this.projection
      .recentRows(limit)
      .map((row) => ({ checkin: toCheckin(row), guest: this.guests.requireGuest(row.guest_id) }));
  }

  stats(): Stats {
    return checkinStats(this.db);
  }
}
