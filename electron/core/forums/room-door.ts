import type { Database, Statement } from 'better-sqlite3';
import type { Forum, ForumScanResult, ForumSeats, Guest } from '../../../shared/domain.ts';
import { readScan, type CodeSources } from '../badges/codes/code-lookup.ts';
import type { SameScanRule } from '../checkin/same-scan.ts';
import { attentionOf, normalizeCode, type DoorContext, type RemoteFact } from '../checkin/service.ts';
import type { FactLog } from '../facts/log.ts';
import type { GuestStore } from '../guests/store.ts';
import { createLogger } from '../log.ts';

const log = createLogger('forums');

/**
 * A forum room's door for ForumService: entry and exit scans here (one transaction with the event each),
 * and entries scanned at other kiosks. Presence per room and the inside counter are kept here.
 */
export class ForumRoomDoor {
  private readonly db: Database;
  private readonly facts: FactLog;
  private readonly guests: GuestStore;
  private readonly door: () => DoorContext;
  private readonly forum: (forumId: string) => Forum;
  private readonly seatsOf: (forumId: string) => ForumSeats;
  /** How a scan is read at the venue door too; the service's codeSources, set by the kiosk. */
  private readonly codeSources: () => CodeSources | null;
  private readonly bumpInside: Statement<[number, string]>;
  private readonly insertEntry: Statement;
  private readonly presence: Statement<[string, string], { n: number }>;
  private readonly enter: Statement<[string, string]>;
  private readonly leave: Statement<[string, string]>;
  private readonly insertEntries: Statement<[string]>;
  private readonly forumExists: Statement<[string], { id: string }>;
  private readonly enterLatestIn: Statement<[string], { forum_id: string }>;
  private readonly leaveLatestOut: Statement<[string], { forum_id: string }>;
  private readonly sameScan: SameScanRule;

  constructor(
    db: Database,
    facts: FactLog,
    guests: GuestStore,
    door: () => DoorContext,
    sameScan: SameScanRule,
    forum: (forumId: string) => Forum,
    seatsOf: (forumId: string) => ForumSeats,
    codeSources: () => CodeSources | null,
  ) {
    this.db = db;
    this.facts = facts;
    this.guests = guests;
    this.door = door;
    this.sameScan = sameScan;
    this.forum = forum;
    this.seatsOf = seatsOf;
    this.codeSources = codeSources;
    this.bumpInside = db.prepare(`UPDATE forum_counts SET inside = inside + ? WHERE forum_id = ?`);
    this.insertEntry = db.prepare(
      `INSERT INTO forum_entries (fact_id, guest_id, forum_id, direction, assigned_forum_id, admitted_anyway, device_id, hlc, wall_ms)
       VALUES (@factId, @guestId, @forumId, @direction, @assignedForumId, @admittedAnyway, @deviceId, @hlc, @wallMs)`,
    );
    this.presence = db.prepare(`SELECT count(*) AS n FROM forum_presence WHERE guest_id = ? AND forum_id = ?`);
    this.enter = db.prepare(`INSERT INTO forum_presence (guest_id, forum_id) VALUES (?, ?)`);
    this.leave = db.prepare(`DELETE FROM forum_presence WHERE guest_id = ? AND forum_id = ?`);
    // The assignment column records where the guest was assigned as this kiosk knows it.
    this.insertEntries = db.prepare(
      `INSERT INTO forum_entries (fact_id, guest_id, forum_id, direction, assigned_forum_id, admitted_anyway, device_id, hlc, wall_ms)
       SELECT value->>0, value->>1, value->>2, value->>3,
              coalesce((SELECT forum_id FROM guest_forum WHERE guest_id = value->>1), ''),
              value->>4, value->>5, value->>6, value->>7
       FROM json_each(?)`,
    );
    this.forumExists = db.prepare(`SELECT id FROM forums WHERE id = ?`);
    // Pulled entries: each (guest, room) pair of the JSON array [[guestId, forumId], …] is made to follow
    // its latest scan by HLC, then id (shared/projection/presence.ts): inside after an entry, outside after
    // an exit. RETURNING names the rooms of the rows actually added or removed, for the inside counters.
    const latest = `(SELECT direction FROM forum_entries e WHERE e.guest_id = p.value->>0 AND e.forum_id = p.value->>1
                     ORDER BY e.hlc DESC, e.fact_id DESC LIMIT 1)`;
    this.enterLatestIn = db.prepare(
      `INSERT OR IGNORE INTO forum_presence (guest_id, forum_id)
       SELECT p.value->>0, p.value->>1 FROM json_each(?) p WHERE ${latest} = 'in'
       RETURNING forum_id`,
    );
    this.leaveLatestOut = db.prepare(
      `DELETE FROM forum_presence WHERE (guest_id, forum_id) IN
         (SELECT p.value->>0, p.value->>1 FROM json_each(?) p WHERE ${latest} = 'out')
       RETURNING forum_id`,
    );
  }

  /**
   * A scan at a forum room's door. Attendance per forum is separate from arrival at the venue. A guest
   * assigned elsewhere gets `assigned_elsewhere`, and anyone arriving at a full room `room_full`, until
   * staff choose to admit anyway (recorded as an override in the event and the entry). The attention
   * note and "never checked in at the venue" travel with every answer about a guest.
   */
  scan(rawCode: string, forumId: string, direction: 'in' | 'out', admitAnyway: boolean): ForumScanResult {
    const forum = this.forum(forumId);
    // A room door admits only guests this kiosk knows: a walk-in of another kiosk is named at the venue door.
    const sources = this.codeSources();
    const reading = sources === null ? null : readScan(rawCode, sources);
    const code = reading?.code ?? normalizeCode(rawCode);
    const guestId =
      reading === null
        ? code.length === 0
          ? null
          : this.guests.guestIdForCode(code)
        : reading.kind === 'roster'
          ? reading.guestId
          : reading.kind === 'short' && reading.check.guestId !== null && this.guests.get(reading.check.guestId)
            ? reading.check.guestId
            : reading.kind === 'signed' && reading.check.guestId !== null && this.guests.get(reading.check.guestId)
              ? reading.check.guestId
              : null;
    const answer = (
      status: ForumScanResult['status'],
      guest: Guest | null,
      assignedForumId: string | null,
      admittedAnyway: boolean,
    ): ForumScanResult => {
      const seats = this.seatsOf(forumId);
      return {
        status,
        code,
        forumId,
        guest,
        assignedForumId,
        admittedAnyway,
        inside: seats.inside,
        capacity: forum.capacity,
        attention: guest === null ? null : attentionOf(guest),
        notArrived: guest !== null && !guest.checkedIn,
      };
    };
    if (guestId === null) return answer('unknown_code', null, null, false);
    const guest = this.guests.get(guestId)!;
    if (guest.status !== 'active') return answer('cancelled', guest, null, false);
    const inside = this.presence.get(guestId, forumId)!.n > 0;
    const elsewhere = guest.forumId !== null && guest.forumId !== forumId ? guest.forumId : null;
    let full = false;
    if (direction === 'in') {
      if (inside) {
        const last = this.sameScan.recent('forum_entry', guestId);
        if (last !== null && last.payload['forumId'] === forumId && last.payload['direction'] === 'in') {
          // The scanner read the badge twice: the entry just made, not "already inside".
          return { ...answer('entered', guest, elsewhere, last.payload['admittedAnyway'] === true), repeat: true };
        }
        return answer('already_inside', guest, elsewhere, false);
      }
      // Assigned elsewhere first: "go to your own forum" is the better answer when both hold.
      full = this.seatsOf(forumId).inside >= forum.capacity;
      if (elsewhere !== null && !admitAnyway) return answer('assigned_elsewhere', guest, elsewhere, false);
      if (full && !admitAnyway) return answer('room_full', guest, elsewhere, false);
    } else if (!inside) {
      return answer('not_inside', guest, elsewhere, false);
    }
    const override = direction === 'in' && (elsewhere !== null || full);
    this.db.transaction(() => {
      const event = this.facts.append('forum_entry', guestId, this.door().operator, {
        forumId,
        direction,
        admittedAnyway: override,
        // Why staff overrode the door: recorded with the entry for the organisers' audit.
        overrides: override
          ? [...(full ? ['room_full' as const] : []), ...(elsewhere !== null ? ['assigned_elsewhere' as const] : [])]
          : [],
      });
      this.insertEntry.run({
        factId: event.id,
        guestId,
        forumId,
        direction,
        assignedForumId: guest.forumId ?? '',
        admittedAnyway: override ? 1 : 0,
        deviceId: event.deviceId,
        hlc: event.hlc,
        wallMs: event.wallMs,
      });
      if (direction === 'in') this.enter.run(guestId, forumId);
      else this.leave.run(guestId, forumId);
      this.bumpInside.run(direction === 'in' ? 1 : -1, forumId);
    })();
    if (override) log.info('room door override', { guestId, forumId, full, elsewhere, operator: this.door().operator });
    return answer(direction === 'in' ? 'entered' : 'exited', this.guests.get(guestId)!, elsewhere, override);
  }

  /**
   * Entries and exits scanned at other kiosks (pulled), a page at a time: the rows go in with one
   * statement, then presence in each room touched follows the latest scan by HLC (an older scan arriving
   * late changes nothing) and the counters follow presence. Entries to a forum unknown here are kept in
   * the log only. Returns how many were projected. The caller holds the transaction.
   */
  applyRemoteEntries(events: ReadonlyArray<RemoteFact<'forum_entry'>>): number {
    // A page holds thousands of entries to a handful of rooms: each room is looked up once.
    const exists = new Map<string, boolean>();
    const known = events.filter((e) => {
      let found = exists.get(e.payload.forumId);
      if (found === undefined)
        exists.set(e.payload.forumId, (found = this.forumExists.get(e.payload.forumId) !== undefined));
      return found;
    });
    if (known.length === 0) return 0;
    this.insertEntries.run(
      JSON.stringify(
        known.map((e) => {
          const { direction } = e.payload;
          const anyway = e.payload.admittedAnyway && direction === 'in' ? 1 : 0;
          return [e.id, e.guestId, e.payload.forumId, direction, anyway, e.deviceId, e.hlc, e.wallMs];
        }),
      ),
    );
    // Presence of every (guest, room) the page touched, set-based: two statements per page instead of
    // two to four per pair (a first pull applied in short slices touches the same pairs again and again).
    const touched = new Map<string, [string, string]>();
    for (const e of known) touched.set(`${e.guestId}\u0000${e.payload.forumId}`, [e.guestId, e.payload.forumId]);
    const pairs = JSON.stringify([...touched.values()]);
    const inside = new Map<string, number>();
    for (const { forum_id } of this.enterLatestIn.all(pairs)) inside.set(forum_id, (inside.get(forum_id) ?? 0) + 1);
    for (const { forum_id } of this.leaveLatestOut.all(pairs)) inside.set(forum_id, (inside.get(forum_id) ?? 0) - 1);
    for (const [forumId, change] of inside) if (change !== 0) this.bumpInside.run(change, forumId);
    return known.length;
  }
}
