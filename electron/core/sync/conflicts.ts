import type { Database } from 'better-sqlite3';
import type { ConflictList, Duplicate, ForumConflict } from '../../../shared/sync/status.ts';
import type { AssignmentFact } from '../../../shared/forums/register.ts';
import { assignmentState } from '../../../shared/projection/forum-assignment.ts';
import { assignmentFact, type AssignmentRow } from '../forums/assignment-row.ts';
import { CHECKIN_SELECT, GUESTS_IN, toCheckin } from '../checkin/checkin-row.ts';

/**
 * The Conflicts screen's data: badges admitted at more than one door (every live check-in kept,
 * the earliest is the arrival — R11), concurrent forum reassignments (R13), and facts the server refused.
 * Staff mark an item reviewed; the review remembers which facts it covered, so a new one reopens it.
 */
export class ConflictStore {
  private readonly db: Database;
  private readonly now: () => number;

  constructor(db: Database, now: () => number) {
    this.db = db;
    this.now = now;
  }

  private reviews(kind: 'duplicate' | 'forum'): Map<string, string> {
    const rows = this.db.prepare(`SELECT guest_id, fact_ids FROM conflict_reviews WHERE kind = ?`).all(kind) as Array<{
      guest_id: string;
      fact_ids: string;
    }>;
    return new Map(rows.map((r) => [r.guest_id, r.fact_ids]));
  }

  private duplicates(): Duplicate[] {
    const reviewed = this.reviews('duplicate');
    const guests = this.db
      .prepare(
        `SELECT a.guest_id, g.display_name, g.organization FROM (${GUESTS_IN}) a JOIN settled_guests g ON g.id = a.guest_id
         WHERE a.live > 1 ORDER BY a.guest_id`, // isDuplicate: more than one live check-in
      )
      .all() as Array<{ guest_id: string; display_name: string; organization: string }>;
    const live = this.db.prepare(
      `${CHECKIN_SELECT} WHERE c.guest_id = ? AND NOT EXISTS
         (SELECT 1 FROM checkin_voids v WHERE v.checkin_fact_id = c.fact_id) ORDER BY c.hlc, c.fact_id`,
    );
    return guests.map((g) => {
      const checkins = (live.all(g.guest_id) as Array<Parameters<typeof toCheckin>[0]>).map(toCheckin);
      return {
        guestId: g.guest_id,
        name: g.display_name,
        organization: g.organization,
        checkins,
        reviewed: reviewed.get(g.guest_id) === JSON.stringify(checkins.map((c) => c.id)),
      };
    });
  }

  private forumConflicts(): ForumConflict[] {
    const reviewed = this.reviews('forum');
    const guests = this.db
      .prepare(
        `SELECT gf.guest_id, g.display_name FROM guest_forum gf JOIN settled_guests g ON g.id = gf.guest_id
         WHERE gf.conflicts > 0 ORDER BY gf.guest_id`,
      )
      .all() as Array<{ guest_id: string; display_name: string }>;
    const assignments = this.db.prepare(
      `SELECT fa.fact_id, fa.forum_id, fa.device_id, fa.hlc, fa.wall_ms, fa.replaces, coalesce(d.door, '') AS door
       FROM forum_assignments fa LEFT JOIN devices d ON d.id = fa.device_id WHERE fa.guest_id = ?`,
    );
    return guests.map((g) => {
      const rows = assignments.all(g.guest_id) as Array<AssignmentRow & { wall_ms: number; door: string }>;
      const byId = new Map(rows.map((r) => [r.fact_id, r]));
      const state = assignmentState(rows.map(assignmentFact));
      const show = (e: AssignmentFact) => {
        const row = byId.get(e.factId)!;
        return {
          factId: e.factId,
          forumId: e.forumId,
          deviceId: e.deviceId,
          door: row.door,
          at: new Date(row.wall_ms).toISOString(),
        };
      };
      const ids = [state.winner!, ...state.conflicts].map((e) => e.factId).sort();
      return {
        guestId: g.guest_id,
        name: g.display_name,
        winner: show(state.winner!),
        losers: state.conflicts.map(show),
        reviewed: reviewed.get(g.guest_id) === JSON.stringify(ids),
      };
    });
  }

  list(): ConflictList {
    const rejected = this.db
      .prepare(
        `SELECT r.fact_id, e.type, e.guest_id, r.reason, r.wall_ms FROM sync_rejections r JOIN facts e ON e.id = r.fact_id
         ORDER BY r.wall_ms DESC LIMIT 500`,
      )
      .all() as Array<{ fact_id: string; type: string; guest_id: string; reason: string; wall_ms: number }>;
    const parked = this.db
      .prepare(
        `SELECT fact_id, device_id, type, guest_id, reason, detail, parked_ms FROM parked_facts
         ORDER BY parked_ms DESC, id DESC LIMIT 500`,
      )
      .all() as Array<{
      fact_id: string;
      device_id: string;
      type: string;
      guest_id: string;
      reason: string;
      detail: string;
      parked_ms: number;
    }>;
    return {
      duplicates: this.duplicates(),
      forumConflicts: this.forumConflicts(),
      parked: parked.map((p) => ({
        factId: p.fact_id,
        deviceId: p.device_id,
        type: p.type,
        guestId: p.guest_id,
        reason: p.reason,
        detail: p.detail,
        at: new Date(p.parked_ms).toISOString(),
      })),
      rejected: rejected.map((r) => ({
        factId: r.fact_id,
        type: r.type,
        guestId: r.guest_id,
        reason: r.reason,
        at: new Date(r.wall_ms).toISOString(),
      })),
    };
  }

  openCount(): number {
    const list = this.list();
    return list.duplicates.filter((d) => !d.reviewed).length + list.forumConflicts.filter((f) => !f.reviewed).length;
  }

  markReviewed(kind: 'duplicate' | 'forum', guestId: string, actor: string): ConflictList {
    const list = this.list();
    const ids =
      kind === 'duplicate'
        ? list.duplicates.find((d) => d.guestId === guestId)?.checkins.map((c) => c.id)
        : (() => {
            const f = list.forumConflicts.find((c) => c.guestId === guestId);
            return f === undefined ? undefined : [f.winner, ...f.losers].map((a) => a.factId).sort();
          })();
    if (ids !== undefined) {
      this.db
        .prepare(
          `INSERT INTO conflict_reviews (kind, guest_id, fact_ids, actor, wall_ms) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (kind, guest_id) DO UPDATE SET fact_ids = excluded.fact_ids, actor = excluded.actor, wall_ms = excluded.wall_ms`,
        )
        .run(kind, guestId, JSON.stringify(ids), actor, this.now());
    }
    return this.list();
  }
}
