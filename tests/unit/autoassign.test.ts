import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { autoAssign, type AutoAssignForum, type AutoAssignGuest } from '../../shared/forums/autoassign.ts';

const FORUMS = ['bio', 'energy', 'equip', 'mat', 'it'];

const instance = (maxGuests: number, maxForums: number) =>
  fc.integer({ min: 1, max: maxForums }).chain((forumCount) =>
    fc.record({
      forums: fc.tuple(
        ...Array.from({ length: forumCount }, (_, i) =>
          fc.integer({ min: 0, max: 8 }).map((freeSeats) => ({ id: FORUMS[i]!, freeSeats })),
        ),
      ),
      guests: fc
        .array(fc.uniqueArray(fc.constantFrom(...FORUMS.slice(0, forumCount)), { maxLength: forumCount }), {
          maxLength: maxGuests,
        })
        .map((lists) => lists.map((preferences, i) => ({ id: `g${String(i).padStart(3, '0')}`, preferences }))),
    }),
  );

/** Signature of an allocation: guests at rank 1, rank 2, …, then placed without preference. */
function signature(guests: AutoAssignGuest[], placement: Map<string, string>, width: number): number[] {
  const sig = new Array<number>(width + 1).fill(0);
  for (const g of guests) {
    const f = placement.get(g.id);
    if (f === undefined) continue;
    const r = g.preferences.indexOf(f);
    sig[r === -1 ? width : r]!++;
  }
  return sig;
}

function bruteForceBest(guests: AutoAssignGuest[], forums: AutoAssignForum[], width: number): number[] {
  let best: number[] | null = null;
  const options = [...forums.map((f) => f.id), null];
  const walk = (i: number, placement: Map<string, string>, used: Map<string, number>): void => {
    if (i === guests.length) {
      const sig = signature(guests, placement, width);
      if (best === null || greater(sig, best)) best = sig;
      return;
    }
    for (const f of options) {
      if (f !== null && (used.get(f) ?? 0) >= forums.find((x) => x.id === f)!.freeSeats) continue;
      if (f !== null) {
        placement.set(guests[i]!.id, f);
        used.set(f, (used.get(f) ?? 0) + 1);
      }
      walk(i + 1, placement, used);
      if (f !== null) {
        placement.delete(guests[i]!.id);
        used.set(f, used.get(f)! - 1);
      }
    }
  };
  const greater = (a: number[], b: number[]) => {
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! > b[k]!;
    return false;
  };
  walk(0, new Map(), new Map());
  return best!;
}

describe('auto-assign (rank-maximal)', () => {
  it('never exceeds free seats, places everyone when seats suffice, and is deterministic', () => {
    fc.assert(
      fc.property(instance(60, 5), ({ forums, guests }) => {
        const result = autoAssign(guests, forums);
        const counts = new Map<string, number>();
        for (const a of result.assignments) counts.set(a.forumId, (counts.get(a.forumId) ?? 0) + 1);
        for (const f of forums) expect(counts.get(f.id) ?? 0).toBeLessThanOrEqual(f.freeSeats);
        const seats = forums.reduce((n, f) => n + f.freeSeats, 0);
        expect(result.assignments.length).toBe(Math.min(seats, guests.length));
        expect(result.assignments.length + result.unplaced.length).toBe(guests.length);
        expect(new Set(result.assignments.map((a) => a.guestId)).size).toBe(result.assignments.length);
        // Same input, shuffled: same output.
        expect(autoAssign([...guests].reverse(), forums)).toEqual(result);
      }),
    );
  });

  it('is Pareto optimal: no two guests would both gain by swapping, nobody prefers a forum with a free seat', () => {
    fc.assert(
      fc.property(instance(40, 5), ({ forums, guests }) => {
        const result = autoAssign(guests, forums);
        const placed = new Map(result.assignments.map((a) => [a.guestId, a.forumId]));
        const prefRank = (g: AutoAssignGuest, f: string | undefined) => {
          const r = f === undefined ? -1 : g.preferences.indexOf(f);
          return r === -1 ? Infinity : r;
        };
        const used = new Map<string, number>();
        for (const f of placed.values()) used.set(f, (used.get(f) ?? 0) + 1);
        for (const g of guests) {
          for (const f of forums) {
            if ((used.get(f.id) ?? 0) < f.freeSeats)
              expect(prefRank(g, f.id)).toBeGreaterThanOrEqual(prefRank(g, placed.get(g.id)));
          }
        }
        for (const a of guests) {
          for (const b of guests) {
            const fa = placed.get(a.id);
            const fb = placed.get(b.id);
            if (fa === undefined || fb === undefined || fa === fb) continue;
            const bothGain = prefRank(a, fb) < prefRank(a, fa) && prefRank(b, fa) < prefRank(b, fb);
            expect(bothGain).toBe(false);
          }
        }
      }),
    );
  });

  it('matches a brute-force rank-maximal optimum on small instances', () => {
    fc.assert(
      fc.property(instance(6, 3), ({ forums, guests }) => {
        const result = autoAssign(guests, forums);
        const width = Math.max(0, ...guests.map((g) => g.preferences.length));
        const placement = new Map(result.assignments.map((a) => [a.guestId, a.forumId]));
        expect(signature(guests, placement, width)).toEqual(bruteForceBest(guests, forums, width));
      }),
      { numRuns: 200 },
    );
  });

  it('explains the outcome', () => {
    const result = autoAssign(
      [
        { id: 'a', preferences: ['bio', 'it'] },
        { id: 'b', preferences: ['bio', 'it'] },
        { id: 'c', preferences: ['bio'] },
        { id: 'd', preferences: [] },
        { id: 'e', preferences: ['it'] },
      ],
      [
        { id: 'bio', freeSeats: 1 },
        { id: 'it', freeSeats: 2 },
      ],
    );
    // c can only be happy in bio; a and b then take it (2nd choice), e and d cannot both fit.
    expect(result.byRank).toEqual([2, 1]);
    expect(result.assignments.find((a) => a.guestId === 'c')?.forumId).toBe('bio');
    expect(result.unplaced.length).toBe(2);
  });
});
