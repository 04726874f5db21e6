/**
 * Forum assignment as a multi-value register with parent pointers (architecture.md §4): each
 * `forum_assign` event names the assignments it replaces (the heads its kiosk saw). The heads are the
 * assignments nobody replaced; the winner among them is the one with the greatest HLC, then the greatest
 * device id; the other heads are concurrent losers, kept for staff to review. Pure and order-free:
 * any delivery order of the same events gives the same answer (tested with fast-check).
 */
export interface AssignmentEvent {
  eventId: string;
  forumId: string;
  hlc: string;
  deviceId: string;
  replaces: readonly string[];
}

export interface RegisterState {
  winner: AssignmentEvent | null;
  /** Concurrent heads that lost to the winner: a conflict staff should look at. */
  conflicts: AssignmentEvent[];
}

/** Total order of concurrent heads: HLC, then device id (HLC strings already embed the node id). */
export function compareAssignments(a: AssignmentEvent, b: AssignmentEvent): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  if (a.deviceId !== b.deviceId) return a.deviceId < b.deviceId ? -1 : 1;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

export function resolveRegister(events: Iterable<AssignmentEvent>): RegisterState {
  const all = new Map<string, AssignmentEvent>();
  for (const e of events) all.set(e.eventId, e);
  const replaced = new Set<string>();
  for (const e of all.values()) for (const r of e.replaces) replaced.add(r);
  const heads = [...all.values()].filter((e) => !replaced.has(e.eventId)).sort(compareAssignments);
  if (heads.length === 0) return { winner: null, conflicts: [] };
  return { winner: heads[heads.length - 1]!, conflicts: heads.slice(0, -1).reverse() };
}

/** The event ids a new assignment must name: every current head, so it settles any conflict it saw. */
export function currentHeads(events: Iterable<AssignmentEvent>): string[] {
  const state = resolveRegister(events);
  return state.winner === null ? [] : [state.winner, ...state.conflicts].map((e) => e.eventId).sort();
}
