/**
 * Forum assignment as a multi-value register with parent pointers (architecture.md §4): each
 * `forum_assign` fact names the assignments it replaces (the heads its kiosk saw). The heads are the
 * assignments nobody replaced; the winner among them is the one with the greatest HLC, then the greatest
 * device id; the other heads are concurrent losers, kept for staff to review. Pure and order-free:
 * any delivery order of the same facts gives the same answer (tested with fast-check).
 */
export interface AssignmentFact {
  factId: string;
  forumId: string;
  hlc: string;
  deviceId: string;
  replaces: readonly string[];
}

export interface RegisterState {
  winner: AssignmentFact | null;
  /** Concurrent heads that lost to the winner: a conflict staff should look at. */
  conflicts: AssignmentFact[];
}

/** Total order of concurrent heads: HLC, then device id (HLC strings already embed the node id). */
export function compareAssignments(a: AssignmentFact, b: AssignmentFact): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  if (a.deviceId !== b.deviceId) return a.deviceId < b.deviceId ? -1 : 1;
  return a.factId < b.factId ? -1 : a.factId > b.factId ? 1 : 0;
}

export function resolveRegister(facts: Iterable<AssignmentFact>): RegisterState {
  const all = new Map<string, AssignmentFact>();
  for (const e of facts) all.set(e.factId, e);
  const replaced = new Set<string>();
  for (const e of all.values()) for (const r of e.replaces) replaced.add(r);
  const heads = [...all.values()].filter((e) => !replaced.has(e.factId)).sort(compareAssignments);
  if (heads.length === 0) return { winner: null, conflicts: [] };
  return { winner: heads[heads.length - 1]!, conflicts: heads.slice(0, -1).reverse() };
}

/** The fact ids a new assignment must name: every current head, so it settles any conflict it saw. */
export function currentHeads(facts: Iterable<AssignmentFact>): string[] {
  const state = resolveRegister(facts);
  return state.winner === null ? [] : [state.winner, ...state.conflicts].map((e) => e.factId).sort();
}
