import type { FactOf } from '../sync/fact-schema.ts';
import { compareFacts } from './attendance.ts';

/**
 * Presence in forum rooms from entry and exit scans: a guest is inside a room when their latest scan at
 * its door (by HLC, then id) was an entry, so an old scan arriving late changes nothing and every side
 * lands on the same people inside, in any delivery order. Pure, shared by kiosk and server.
 */

export interface EntryDot {
  factId: string;
  guestId: string;
  forumId: string;
  direction: 'in' | 'out';
  hlc: string;
}

export function entryDot(fact: FactOf<'forum_entry'>): EntryDot {
  return {
    factId: fact.id,
    guestId: fact.guestId,
    forumId: fact.payload.forumId,
    direction: fact.payload.direction,
    hlc: fact.hlc,
  };
}

/** The scan that decides presence in one room: the later of the two. */
export function latestEntry<E extends { hlc: string; factId: string }>(current: E | null, incoming: E): E {
  return current === null || compareFacts(incoming, current) > 0 ? incoming : current;
}

/**
 * How a room's presence must change for a guest, given their latest scan at its door and whether the
 * projection has them inside now: 'enter', 'leave' or nothing.
 */
export function presenceChange(latest: 'in' | 'out' | null, insideNow: boolean): 'enter' | 'leave' | null {
  const shouldBeInside = latest === 'in';
  if (shouldBeInside === insideNow) return null;
  return shouldBeInside ? 'enter' : 'leave';
}

export interface RoomPresence {
  /** Rooms the guest is inside now. */
  inside: Set<string>;
  /** Rooms the guest was ever scanned into, in order of the first entry (by HLC). */
  attended: string[];
}

/** One guest's presence from all their entry scans (any order). */
export function presenceOf(entries: Iterable<EntryDot>): RoomPresence {
  const sorted = [...entries].sort(compareFacts);
  const last = new Map<string, 'in' | 'out'>();
  const attended: string[] = [];
  for (const e of sorted) {
    last.set(e.forumId, e.direction);
    if (e.direction === 'in' && !attended.includes(e.forumId)) attended.push(e.forumId);
  }
  return { inside: new Set([...last].filter(([, d]) => d === 'in').map(([f]) => f)), attended };
}
