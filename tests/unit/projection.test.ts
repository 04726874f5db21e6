import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideArrival, recordedVoid } from '../../shared/projection/attendance.ts';
import { presenceChange, presenceOf } from '../../shared/projection/presence.ts';
import { project } from '../../shared/projection/project.ts';
import type { Fact } from '../../shared/sync/fact-schema.ts';

const hlc = (ms: number, node: string) => `${String(ms).padStart(15, '0')}-00000-${node}`;

function fact(type: Fact['type'], guestId: string, ms: number, node: string, payload: unknown): Fact {
  return {
    id: randomUUID(),
    deviceId: node,
    deviceSeq: 1,
    type,
    guestId,
    hlc: hlc(ms, node),
    wallMs: ms,
    actor: 's',
    payload,
  } as Fact;
}

describe('the shared projection', () => {
  it('the earliest live check-in is the arrival; a void removes exactly the one it names', () => {
    const a = fact('check_in', 'g1', 20, 'k1', { door: 'North', method: 'scan', code: '' });
    const b = fact('check_in', 'g1', 10, 'k2', { door: 'South', method: 'scan', code: '' });
    const undoB = fact('check_in_void', 'g1', 30, 'k2', { voids: b.id, door: 'South' });
    const both = project([a, b], () => true).get('g1')!.attendance;
    expect(both.arrival?.factId).toBe(b.id);
    expect(both.live.map((c) => c.factId)).toEqual([b.id, a.id]);
    const after = project([undoB, a, b], () => true).get('g1')!.attendance;
    expect(after).toMatchObject({ arrival: { factId: a.id }, voided: 1 });
    expect(after.live).toHaveLength(1);
  });

  it('the earliest of two undos is on record, whichever arrives first', () => {
    const early = { factId: 'b', hlc: hlc(5, 'k1') };
    const late = { factId: 'a', hlc: hlc(9, 'k2') };
    expect(recordedVoid(early, late)).toBe(early);
    expect(recordedVoid(late, early)).toBe(early);
  });

  it('the door: cancelled and blocked first, then already in (or the same scan twice), else check in', () => {
    const arrival = { factId: 'x' };
    expect(decideArrival({ status: 'removed', arrival, sameScanAsArrival: true })).toBe('cancelled');
    expect(decideArrival({ status: 'blocked', arrival: null, sameScanAsArrival: false })).toBe('blocked');
    expect(decideArrival({ status: 'active', arrival, sameScanAsArrival: true })).toBe('repeat');
    expect(decideArrival({ status: 'active', arrival, sameScanAsArrival: false })).toBe('already_checked_in');
    expect(decideArrival({ status: 'active', arrival: null, sameScanAsArrival: false })).toBe('check_in');
  });

  it('presence follows the latest scan at a room door, whatever order the scans arrive in', () => {
    const scans = [
      { factId: '1', guestId: 'g', forumId: 'it', direction: 'in' as const, hlc: hlc(1, 'k1') },
      { factId: '2', guestId: 'g', forumId: 'it', direction: 'out' as const, hlc: hlc(2, 'k2') },
      { factId: '3', guestId: 'g', forumId: 'bio', direction: 'in' as const, hlc: hlc(3, 'k1') },
    ];
    expect(presenceOf(scans.toReversed())).toEqual({ inside: new Set(['bio']), attended: ['it', 'bio'] });
    expect(presenceChange('in', false)).toBe('enter');
    expect(presenceChange('out', true)).toBe('leave');
    expect(presenceChange(null, false)).toBeNull();
  });

  it('is order-free and idempotent: any permutation of the facts, with repeats, projects the same', () => {
    const nodes = ['k1', 'k2', 'k3'];
    const arbFacts = fc
      .array(
        fc.record({
          kind: fc.constantFrom('in', 'void', 'assign', 'entry'),
          guest: fc.constantFrom('g1', 'g2'),
          node: fc.constantFrom(...nodes),
          ms: fc.integer({ min: 1, max: 50 }),
          pick: fc.nat(),
          forum: fc.constantFrom('it', 'bio', 'nowhere'),
          out: fc.boolean(),
        }),
        { maxLength: 25 },
      )
      .map((steps) => {
        const facts: Fact[] = [];
        for (const s of steps) {
          const earlier = facts.filter((f) => f.type === 'check_in');
          if (s.kind === 'in')
            facts.push(fact('check_in', s.guest, s.ms, s.node, { door: s.node, method: 'scan', code: '' }));
          else if (s.kind === 'void' && earlier.length > 0) {
            const target = earlier[s.pick % earlier.length]!;
            facts.push(fact('check_in_void', target.guestId, s.ms, s.node, { voids: target.id, door: '' }));
          } else if (s.kind === 'assign') {
            const heads = facts.filter((f) => f.type === 'forum_assign' && f.guestId === s.guest).map((f) => f.id);
            const replaces = heads.slice(0, s.pick % (heads.length + 1));
            facts.push(fact('forum_assign', s.guest, s.ms, s.node, { forumId: s.forum, replaces, overrideReason: '' }));
          } else if (s.kind === 'entry') {
            const payload = { forumId: s.forum, direction: s.out ? 'out' : 'in', admittedAnyway: false, overrides: [] };
            facts.push(fact('forum_entry', s.guest, s.ms, s.node, payload));
          }
        }
        return facts;
      });
    fc.assert(
      fc.property(arbFacts, fc.array(fc.nat()), (facts, keys) => {
        const known = (id: string) => id !== 'nowhere';
        const shuffled = facts
          .map((f, i) => ({ f, k: keys[i % Math.max(1, keys.length)] ?? i }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.f);
        expect(project([...shuffled, ...facts.slice(0, 3)], known)).toEqual(project(facts, known));
      }),
      { numRuns: 200 },
    );
  });
});
