import type { Database, Statement } from 'better-sqlite3';
import type {
  AutoAssignOutcome,
  Forum,
  ForumScanResult,
  ForumSeats,
  ForumStatus,
  Guest,
} from '../../../shared/domain.ts';
import { autoAssign } from '../../../shared/forums/autoassign.ts';
import { currentHeads } from '../../../shared/forums/register.ts';
import { assignmentState } from '../../../shared/projection/forum-assignment.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import type { CodeSources } from '../badges/codes/code-lookup.ts';
import type { DoorContext, RemoteFact } from '../checkin/service.ts';
import { forumOf, readEvent } from '../event/store.ts';
import type { FactLog } from '../facts/log.ts';
import type { GuestStore } from '../guests/store.ts';
import { createLogger } from '../log.ts';
import type { SameScanRule } from '../checkin/same-scan.ts';
import { liveCheckinsOf } from '../checkin/checkin-row.ts';
import { assignmentFact, type AssignmentRow } from './assignment-row.ts';
import { ForumRoomDoor } from './room-door.ts';

const log = createLogger('forums');

/**
 * Sub-forums: assignment (a register event per change, replacing the heads it saw), live seats from
 * counters, auto-assignment, and entry/exit scans at a forum's room door. Every write is one transaction
 * with its event, like check-ins.
 */
export class ForumService {
  private readonly db: Database;
  private readonly facts: FactLog;
  private readonly guests: GuestStore;
  private readonly door: () => DoorContext;
  /** Throws unless whoever is at the door may assign beyond capacity (a supervisor). */
  private readonly authorizeOverride: () => void;
  private readonly seatsStmt: Statement<[], { forum_id: string; capacity: number; assigned: number; inside: number }>;
  private readonly assignmentsOf: Statement<[string], AssignmentRow>;
  private readonly insertAssignment: Statement;
  private readonly currentOf: Statement<[string], { forum_id: string }>;
  private readonly upsertCurrent: Statement<[string, string, string, number]>;
  private readonly bumpAssigned: Statement<[number, string]>;
  private readonly forumExists: Statement<[string], { id: string }>;
  private readonly sameScan: SameScanRule;
  private readonly roomDoor: ForumRoomDoor;

  /** How a scan is read at the venue door too (scanner normalisation, format 2 codes); set by the kiosk. */
  codeSources: CodeSources | null = null;

  constructor(
    db: Database,
    facts: FactLog,
    guests: GuestStore,
    door: () => DoorContext,
    sameScan: SameScanRule,
    authorizeOverride: () => void = () => {},
  ) {
    this.sameScan = sameScan;
    this.authorizeOverride = authorizeOverride;
    this.db = db;
    this.facts = facts;
    this.guests = guests;
    this.door = door;
    this.seatsStmt = db.prepare(
      `SELECT f.id AS forum_id, f.capacity, c.assigned, c.inside FROM forums f JOIN forum_counts c ON c.forum_id = f.id WHERE f.removed = 0 ORDER BY f.position`,
    );
    this.assignmentsOf = db.prepare(
      `SELECT fact_id, forum_id, hlc, device_id, replaces FROM forum_assignments WHERE guest_id = ?`,
    );
    this.insertAssignment = db.prepare(
      `INSERT INTO forum_assignments (fact_id, guest_id, forum_id, device_id, hlc, wall_ms, replaces, override_reason, actor)
       VALUES (@factId, @guestId, @forumId, @deviceId, @hlc, @wallMs, @replaces, @overrideReason, @actor)`,
    );
    this.currentOf = db.prepare(`SELECT forum_id FROM guest_forum WHERE guest_id = ?`);
    this.upsertCurrent = db.prepare(
      `INSERT INTO guest_forum (guest_id, forum_id, fact_id, conflicts) VALUES (?, ?, ?, ?)
       ON CONFLICT (guest_id) DO UPDATE SET forum_id = excluded.forum_id, fact_id = excluded.fact_id, conflicts = excluded.conflicts`,
    );
    this.bumpAssigned = db.prepare(`UPDATE forum_counts SET assigned = assigned + ? WHERE forum_id = ?`);
    this.forumExists = db.prepare(`SELECT id FROM forums WHERE id = ?`);
    this.roomDoor = new ForumRoomDoor(
      db,
      facts,
      guests,
      door,
      sameScan,
      (forumId) => this.forum(forumId),
      (forumId) => this.seatsOf(forumId),
      () => this.codeSources,
    );
  }

  /** Live seats for the door screen: five rows from counters, never a count over the roster. */
  seats(): ForumSeats[] {
    return this.seatsStmt
      .all()
      .map((r) => ({ forumId: r.forum_id, capacity: r.capacity, assigned: r.assigned, inside: r.inside }));
  }

  private forum(forumId: string): Forum {
    return forumOf(readEvent(this.db), forumId);
  }

  private seatsOf(forumId: string): ForumSeats {
    return this.seats().find((s) => s.forumId === forumId)!;
  }

  list(): ForumStatus[] {
    const arrived = new Map(
      (
        this.db
          .prepare(
            `SELECT gf.forum_id, count(*) AS n FROM guest_forum gf WHERE EXISTS (SELECT 1 ${liveCheckinsOf('gf.guest_id')})
             GROUP BY gf.forum_id`,
          )
          .all() as Array<{ forum_id: string; n: number }>
      ).map((r) => [r.forum_id, r.n]),
    );
    const seats = new Map(this.seats().map((s) => [s.forumId, s]));
    return (readEvent(this.db)?.forums ?? []).map((f) => ({
      ...f,
      assigned: seats.get(f.id)?.assigned ?? 0,
      inside: seats.get(f.id)?.inside ?? 0,
      arrived: arrived.get(f.id) ?? 0,
    }));
  }

  update(forum: Forum): Forum {
    this.forum(forum.id);
    this.db
      .prepare(
        `UPDATE forums SET name_zh = ?, name_en = ?, name_de = ?, room = ?, capacity = ?, starts_at = ?, ends_at = ?, colour = ? WHERE id = ?`,
      )
      .run(
        forum.name.zh,
        forum.name.en,
        forum.name.de,
        forum.room,
        forum.capacity,
        forum.startsAt,
        forum.endsAt,
        forum.colour,
        forum.id,
      );
    return this.forum(forum.id);
  }

  /**
   * Re-derives a guest's winning assignment from all their assignment events (shared/forums/register.ts)
   * and moves the seat counters by the difference. Used for local writes now and for synced events later.
   */
  private refresh(guestId: string): void {
    const state = assignmentState(this.assignmentsOf.all(guestId).map(assignmentFact));
    if (state.winner === null) return;
    const before = this.currentOf.get(guestId)?.forum_id ?? null;
    this.upsertCurrent.run(guestId, state.winner.forumId, state.winner.factId, state.conflicts.length);
    if (before !== state.winner.forumId) {
      if (before !== null) this.bumpAssigned.run(-1, before);
      this.bumpAssigned.run(1, state.winner.forumId);
    }
  }

  /** Writes one assignment event and its projections; the caller holds the transaction. */
  writeAssignment(guestId: string, forumId: string, overrideReason: string): string[] {
    const { operator } = this.door();
    const replaces = currentHeads(this.assignmentsOf.all(guestId).map(assignmentFact));
    const payload = { forumId, replaces, overrideReason };
    const event = this.facts.append('forum_assign', guestId, operator, payload);
    this.project({ ...event, guestId, actor: operator }, payload);
    return replaces;
  }

  /**
   * Assigns (or reassigns) a guest. A full forum is refused with `forum_full` unless a supervisor gives
   * a reason; the override and who made it are in the event.
   */
  assign(
    guestId: string,
    forumId: string,
    overrideReason: string,
  ): { guest: Guest; replaced: string[]; overridden: boolean } {
    const guest = this.guests.requireGuest(guestId);
    const forum = this.forum(forumId);
    if (guest.forumId === forumId) return { guest, replaced: [], overridden: false };
    const seats = this.seatsOf(forumId);
    const full = seats.assigned >= forum.capacity;
    const reason = overrideReason.trim();
    if (full && reason.length === 0) {
      throw new LanyardFailure(
        'forum_full',
        `${forum.name.en} is full (${seats.assigned}/${forum.capacity}); a supervisor override with a reason is needed`,
      );
    }
    if (full) this.authorizeOverride();
    const replaced = this.db.transaction(() => this.writeAssignment(guestId, forumId, full ? reason : ''))();
    if (full) log.info('capacity override', { guestId, forumId, reason, operator: this.door().operator });
    return { guest: this.guests.get(guestId)!, replaced, overridden: full };
  }

  setPreferences(guestId: string, forumIds: readonly string[]): Guest {
    this.guests.requireGuest(guestId);
    for (const id of forumIds) this.forum(id);
    this.db.transaction(() => this.guests.setPreferences(guestId, forumIds))();
    return this.guests.get(guestId)!;
  }

  /** Fills free seats from ranked preferences (rank-maximal). Guests already assigned keep their seat. */
  autoAssign(dryRun: boolean): AutoAssignOutcome {
    // Two flat reads instead of a subquery per guest (that was most of the time at 250,000 guests):
    // every guest's preferences in one pass over the table's key order, then the guests to place.
    const SEPARATOR = '\u001f';
    const preferences = new Map(
      this.db
        .prepare(
          `SELECT guest_id, group_concat(forum_id, char(31) ORDER BY rank)
           FROM guest_forum_preferences GROUP BY guest_id`,
        )
        .raw()
        .all() as Array<[string, string]>,
    );
    const ids = this.db
      .prepare(
        `SELECT id FROM settled_guests g
         WHERE g.status = 'active' AND NOT EXISTS (SELECT 1 FROM guest_forum gf WHERE gf.guest_id = g.id)
         ORDER BY id`,
      )
      .pluck()
      .all() as string[];
    const forums = this.seats().map((s) => ({ id: s.forumId, freeSeats: Math.max(0, s.capacity - s.assigned) }));
    const plan = autoAssign(
      ids.map((id) => ({ id, preferences: preferences.get(id)?.split(SEPARATOR) ?? [] })),
      forums,
    );
    if (!dryRun) {
      this.db.transaction(() => {
        for (const a of plan.assignments) this.writeAssignment(a.guestId, a.forumId, '');
      })();
      log.info('auto-assigned', { placed: plan.assignments.length, unplaced: plan.unplaced.length });
    }
    const nameOf = this.db.prepare(`SELECT display_name FROM settled_guests WHERE id = ?`).pluck() as Statement<
      [string],
      string
    >;
    const perForum = forums.map((f) => ({
      forumId: f.id,
      added: plan.assignments.filter((a) => a.forumId === f.id).length,
    }));
    return {
      applied: !dryRun,
      considered: ids.length,
      placed: plan.assignments.length,
      byRank: plan.byRank,
      withoutPreference: plan.withoutPreference,
      unplaced: plan.unplaced.slice(0, 200).map((id) => ({ id, name: nameOf.get(id) ?? id })),
      perForum,
    };
  }

  /** A scan at a forum room's door (ForumRoomDoor): attendance per forum, overrides, the answer. */
  scan(rawCode: string, forumId: string, direction: 'in' | 'out', admitAnyway: boolean): ForumScanResult {
    return this.roomDoor.scan(rawCode, forumId, direction, admitAnyway);
  }

  /**
   * An assignment made on another kiosk (pulled): it joins the register with the heads it named, and the
   * winner is re-derived (R13), so every kiosk lands on the same winner and conflict set in any order.
   * Returns false when the forum is unknown here (the event is kept; the projection waits for the roster).
   */
  applyRemoteAssignment(event: RemoteFact<'forum_assign'>): boolean {
    if (this.forumExists.get(event.payload.forumId) === undefined) return false;
    this.project(event, event.payload);
    return true;
  }

  /** An assignment, local or pulled, into forum_assignments; then the guest's winner is re-derived. */
  private project(
    fact: { id: string; guestId: string; deviceId: string; hlc: string; wallMs: number; actor: string },
    assignment: { forumId: string; replaces: string[]; overrideReason: string },
  ): void {
    this.insertAssignment.run({
      factId: fact.id,
      guestId: fact.guestId,
      forumId: assignment.forumId,
      deviceId: fact.deviceId,
      hlc: fact.hlc,
      wallMs: fact.wallMs,
      replaces: JSON.stringify(assignment.replaces),
      overrideReason: assignment.overrideReason,
      actor: fact.actor,
    });
    this.refresh(fact.guestId);
  }

  /** Entries and exits pulled from other kiosks (ForumRoomDoor); the caller holds the transaction. */
  applyRemoteEntries(events: ReadonlyArray<RemoteFact<'forum_entry'>>): number {
    return this.roomDoor.applyRemoteEntries(events);
  }
}
