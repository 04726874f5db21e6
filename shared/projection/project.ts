import type { AssignmentFact, RegisterState } from '../forums/register.ts';
import type { Fact, FactOf, WalkInGuest } from '../sync/fact-schema.ts';
import { attendanceOf, checkinDot, type Attendance, type CheckinDot } from './attendance.ts';
import { assignmentOf, assignmentState } from './forum-assignment.ts';
import { entryDot, presenceOf, type EntryDot, type RoomPresence } from './presence.ts';

/** Everything the facts say about one guest. */
export interface GuestProjection {
  guestId: string;
  /** The guest record a walk-in fact carried (the earliest, by HLC), or null. */
  walkIn: WalkInGuest | null;
  attendance: Attendance;
  register: RegisterState;
  presence: RoomPresence;
}

/**
 * The whole projection of a set of facts, in one pass: per guest, attendance (arrival, live check-ins,
 * voids), forum assignment and presence in forum rooms. Order-free and idempotent — the same facts in any
 * order, with repeats, give the same answer — which is what lets the server fold its log with it and the
 * property test use it as the reference for both storage layers. `forumExists` says which forums the
 * event knows: assignments and entries of others are kept in the log but not applied.
 */
export function project(
  facts: Iterable<Fact>,
  forumExists: (forumId: string) => boolean,
): Map<string, GuestProjection> {
  const byId = new Map<string, Fact>();
  for (const f of facts) byId.set(f.id, f);
  const voided = new Set<string>();
  const checkins = new Map<string, CheckinDot[]>();
  const assignments = new Map<string, AssignmentFact[]>();
  const entries = new Map<string, EntryDot[]>();
  const walkIns = new Map<string, FactOf<'walk_in'>>();
  const guests = new Set<string>();
  const add = <T>(map: Map<string, T[]>, key: string, value: T) => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [value]);
    else list.push(value);
  };
  for (const f of byId.values()) {
    switch (f.type) {
      case 'check_in':
        guests.add(f.guestId);
        add(checkins, f.guestId, checkinDot(f));
        break;
      case 'check_in_void':
        voided.add(f.payload.voids);
        break;
      case 'walk_in': {
        guests.add(f.guestId);
        const seen = walkIns.get(f.guestId);
        if (seen === undefined || f.hlc < seen.hlc || (f.hlc === seen.hlc && f.id < seen.id)) walkIns.set(f.guestId, f);
        break;
      }
      case 'forum_assign':
        guests.add(f.guestId);
        if (forumExists(f.payload.forumId)) add(assignments, f.guestId, assignmentOf(f));
        break;
      case 'forum_entry':
        guests.add(f.guestId);
        if (forumExists(f.payload.forumId)) add(entries, f.guestId, entryDot(f));
        break;
      default:
        // badge_print, note, guest_edit: in the log and its exports, no projection.
        break;
    }
  }
  const out = new Map<string, GuestProjection>();
  for (const guestId of guests) {
    out.set(guestId, {
      guestId,
      walkIn: walkIns.get(guestId)?.payload.guest ?? null,
      attendance: attendanceOf(checkins.get(guestId) ?? [], (c) => voided.has(c.factId)),
      register: assignmentState(assignments.get(guestId) ?? []),
      presence: presenceOf(entries.get(guestId) ?? []),
    });
  }
  return out;
}
