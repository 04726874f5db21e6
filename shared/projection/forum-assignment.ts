import { resolveRegister, type AssignmentFact, type RegisterState } from '../forums/register.ts';
import type { FactOf } from '../sync/fact-schema.ts';

/**
 * Forum assignment from `forum_assign` facts: the multi-value register of shared/forums/register.ts (each
 * assignment names the heads it replaces; the winner is the greatest head by HLC, then device; the other
 * heads are conflicts). An assignment to a forum unknown to the event is kept in the log but not applied,
 * on every side, until the forum exists.
 */
export function assignmentOf(fact: FactOf<'forum_assign'>): AssignmentFact {
  return {
    factId: fact.id,
    forumId: fact.payload.forumId,
    hlc: fact.hlc,
    deviceId: fact.deviceId,
    replaces: fact.payload.replaces,
  };
}

/** A guest's assignment state from their applicable assignments (any order, repeats allowed). */
export function assignmentState(assignments: Iterable<AssignmentFact>): RegisterState {
  return resolveRegister(assignments);
}

/** A forum conflict: concurrent reassignments that lost to the winner, for staff to review. */
export function hasForumConflict(state: RegisterState): boolean {
  return state.conflicts.length > 0;
}
