/**
 * Auto-assignment of guests to forums from ranked preferences.
 *
 * Fairness criterion: a *rank-maximal* allocation (Irving et al. 2006) — as many guests as possible get
 * their 1st choice; subject to that, as many as possible their 2nd; and so on; then guests are placed
 * anywhere with free seats. No forum goes over its free seats. Rank-maximal allocations are Pareto
 * optimal: no two guests could swap forums and both be better off, and nobody prefers a forum that still
 * has a free seat. Deterministic: the same input gives the same output.
 *
 * Method: guests with the same preference list are interchangeable, so the problem is a min-cost flow on a
 * small graph (source → preference list → forum → sink) whose costs are vectors compared
 * lexicographically; successive shortest paths (SPFA) augment by whole bottleneck amounts. 250,000 guests
 * have at most a few hundred distinct lists, so this is fast whatever the number of guests.
 */
export interface AutoAssignGuest {
  id: string;
  /** Forum ids, best first; unknown ids and duplicates are ignored. */
  preferences: readonly string[];
}

export interface AutoAssignForum {
  id: string;
  /** Seats still free (capacity minus guests already assigned). */
  freeSeats: number;
}

export interface AutoAssignResult {
  assignments: Array<{ guestId: string; forumId: string; rank: number | null }>;
  /** byRank[0] = guests placed at their 1st choice, … */
  byRank: number[];
  /** Placed in a forum they did not list (or had no preferences). */
  withoutPreference: number;
  unplaced: string[];
}

type Cost = number[];

interface Edge {
  to: number;
  cap: number;
  cost: Cost;
  rev: number;
}

function addCost(a: Cost, b: Cost): Cost {
  return a.map((x, i) => x + b[i]!);
}
function negate(a: Cost): Cost {
  return a.map((x) => -x);
}
function less(a: Cost, b: Cost): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}
function isNegative(a: Cost): boolean {
  for (const x of a) if (x !== 0) return x < 0;
  return false;
}

export function autoAssign(guests: readonly AutoAssignGuest[], forums: readonly AutoAssignForum[]): AutoAssignResult {
  const forumIndex = new Map(forums.map((f, i) => [f.id, i]));
  // Clean and group preference lists.
  const groups = new Map<string, { prefs: number[]; guests: string[] }>();
  for (const g of [...guests].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const prefs: number[] = [];
    for (const id of g.preferences) {
      const i = forumIndex.get(id);
      if (i !== undefined && !prefs.includes(i)) prefs.push(i);
    }
    const key = prefs.join(',');
    const group = groups.get(key) ?? { prefs, guests: [] };
    group.guests.push(g.id);
    groups.set(key, group);
  }
  const groupList = [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, v]) => v);
  const maxRank = Math.max(0, ...groupList.map((g) => g.prefs.length));
  const width = maxRank + 1; // ranks 1..maxRank, then "placed without preference"
  const zero = (): Cost => new Array<number>(width).fill(0);
  const rankCost = (rank: number | null): Cost => {
    const c = zero();
    c[rank === null ? maxRank : rank - 1] = -1;
    return c;
  };

  // Nodes: 0 = source, 1 = sink, then groups, then forums.
  const SOURCE = 0;
  const SINK = 1;
  const groupNode = (i: number) => 2 + i;
  const forumNode = (j: number) => 2 + groupList.length + j;
  const nodeCount = 2 + groupList.length + forums.length;
  const graph: Edge[][] = Array.from({ length: nodeCount }, () => []);
  const addEdge = (from: number, to: number, cap: number, cost: Cost): void => {
    graph[from]!.push({ to, cap, cost, rev: graph[to]!.length });
    graph[to]!.push({ to: from, cap: 0, cost: negate(cost), rev: graph[from]!.length - 1 });
  };
  const groupForumEdges: Array<Array<{ forum: number; edge: number; rank: number | null }>> = [];
  groupList.forEach((group, i) => {
    addEdge(SOURCE, groupNode(i), group.guests.length, zero());
    const edges: Array<{ forum: number; edge: number; rank: number | null }> = [];
    forums.forEach((_f, j) => {
      const rankAt = group.prefs.indexOf(j);
      const rank = rankAt === -1 ? null : rankAt + 1;
      edges.push({ forum: j, edge: graph[groupNode(i)]!.length, rank });
      addEdge(groupNode(i), forumNode(j), group.guests.length, rankCost(rank));
    });
    groupForumEdges.push(edges);
  });
  forums.forEach((f, j) => addEdge(forumNode(j), SINK, Math.max(0, f.freeSeats), zero()));

  // Successive shortest paths with SPFA; stop when no augmenting path improves the signature.
  for (;;) {
    const dist: Array<Cost | null> = new Array(nodeCount).fill(null);
    const prevNode = new Array<number>(nodeCount).fill(-1);
    const prevEdge = new Array<number>(nodeCount).fill(-1);
    const inQueue = new Array<boolean>(nodeCount).fill(false);
    dist[SOURCE] = zero();
    const queue = [SOURCE];
    inQueue[SOURCE] = true;
    while (queue.length > 0) {
      const u = queue.shift()!;
      inQueue[u] = false;
      graph[u]!.forEach((e, k) => {
        if (e.cap <= 0) return;
        const candidate = addCost(dist[u]!, e.cost);
        const current = dist[e.to];
        if (current === null || current === undefined || less(candidate, current)) {
          dist[e.to] = candidate;
          prevNode[e.to] = u;
          prevEdge[e.to] = k;
          if (!inQueue[e.to]) {
            inQueue[e.to] = true;
            queue.push(e.to);
          }
        }
      });
    }
    const sinkDist = dist[SINK];
    if (sinkDist === null || sinkDist === undefined || !isNegative(sinkDist)) break;
    let push = Infinity;
    for (let v = SINK; v !== SOURCE; v = prevNode[v]!) push = Math.min(push, graph[prevNode[v]!]![prevEdge[v]!]!.cap);
    for (let v = SINK; v !== SOURCE; v = prevNode[v]!) {
      const e = graph[prevNode[v]!]![prevEdge[v]!]!;
      e.cap -= push;
      graph[v]![e.rev]!.cap += push;
    }
  }

  // Hand out seats within each group deterministically: guests in id order, forums by rank order.
  const result: AutoAssignResult = {
    assignments: [],
    byRank: new Array<number>(maxRank).fill(0),
    withoutPreference: 0,
    unplaced: [],
  };
  groupList.forEach((group, i) => {
    const flows = groupForumEdges[i]!.map(({ forum, edge, rank }) => {
      const e = graph[groupNode(i)]![edge]!;
      return { forum, rank, count: group.guests.length - e.cap };
    });
    flows.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.forum - b.forum);
    let next = 0;
    for (const flow of flows) {
      for (let n = 0; n < flow.count; n++) {
        result.assignments.push({ guestId: group.guests[next++]!, forumId: forums[flow.forum]!.id, rank: flow.rank });
        if (flow.rank === null) result.withoutPreference++;
        else result.byRank[flow.rank - 1]!++;
      }
    }
    result.unplaced.push(...group.guests.slice(next));
  });
  return result;
}
