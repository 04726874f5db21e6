import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hlcFormat, hlcInit, hlcReceive, hlcTick, type HlcState } from '../../shared/hlc.ts';
import { currentHeads, resolveRegister, type AssignmentFact } from '../../shared/forums/register.ts';

/**
 * Three kiosks reassign one guest while offline, syncing now and then. Whatever order the events are
 * delivered in, every replica must agree on the winner and on the conflict set.
 */
type Step =
  | { device: number; action: 'assign'; forum: string; advanceMs: number }
  | { device: number; action: 'sync'; from: number };

const steps = fc.array(
  fc.oneof(
    fc.record({
      device: fc.integer({ min: 0, max: 2 }),
      action: fc.constant('assign' as const),
      forum: fc.constantFrom('bio', 'energy', 'it'),
      advanceMs: fc.integer({ min: -5000, max: 5000 }),
    }),
    fc.record({
      device: fc.integer({ min: 0, max: 2 }),
      action: fc.constant('sync' as const),
      from: fc.integer({ min: 0, max: 2 }),
    }),
  ),
  { minLength: 1, maxLength: 40 },
);

function simulate(script: Step[]): AssignmentFact[] {
  const devices = ['kioskA', 'kioskB', 'kioskC'];
  const known: Array<Map<string, AssignmentFact>> = devices.map(() => new Map());
  const clocks: HlcState[] = devices.map((d) => hlcInit(d));
  const walls = [1_780_000_000_000, 1_780_000_000_000 + 90_000, 1_780_000_000_000 - 60_000]; // skewed clocks
  let n = 0;
  for (const step of script) {
    if (step.action === 'assign') {
      walls[step.device]! += step.advanceMs;
      clocks[step.device] = hlcTick(clocks[step.device]!, walls[step.device]!);
      const event: AssignmentFact = {
        factId: `e${n++}`,
        forumId: step.forum,
        hlc: hlcFormat(clocks[step.device]!),
        deviceId: devices[step.device]!,
        replaces: currentHeads(known[step.device]!.values()),
      };
      known[step.device]!.set(event.factId, event);
    } else {
      for (const e of known[step.from]!.values()) {
        known[step.device]!.set(e.factId, e);
        const s = { wallMs: Number(e.hlc.slice(0, 15)), counter: Number(e.hlc.slice(16, 21)), node: e.deviceId };
        clocks[step.device] = hlcReceive(clocks[step.device]!, s, walls[step.device]!);
      }
    }
  }
  const all = new Map<string, AssignmentFact>();
  for (const k of known) for (const e of k.values()) all.set(e.factId, e);
  return [...all.values()];
}

describe('forum assignment register', () => {
  it('every delivery order gives the same winner and the same conflict set', () => {
    fc.assert(
      fc.property(steps, fc.array(fc.nat(), { minLength: 5, maxLength: 5 }), (script, seeds) => {
        const events = simulate(script);
        const reference = resolveRegister(events);
        for (const seed of seeds) {
          // A random permutation, delivered one by one into a fresh replica.
          const order = [...events].sort(
            (a, b) =>
              ((a.factId.length * 31 + seed) % 7) - ((b.factId.length * 31 + seed) % 7) ||
              (seed % 2 === 0 ? 1 : -1) * (a.factId < b.factId ? -1 : 1),
          );
          const replica: AssignmentFact[] = [];
          for (const e of order) replica.push(e);
          expect(resolveRegister(replica)).toEqual(reference);
        }
      }),
    );
  });

  it('a reassignment made after seeing a conflict settles it', () => {
    const a = {
      factId: 'a',
      forumId: 'bio',
      hlc: hlcFormat({ wallMs: 1, counter: 0, node: 'k1' }),
      deviceId: 'k1',
      replaces: [],
    };
    const b = {
      factId: 'b',
      forumId: 'it',
      hlc: hlcFormat({ wallMs: 2, counter: 0, node: 'k2' }),
      deviceId: 'k2',
      replaces: [],
    };
    const state = resolveRegister([a, b]);
    expect(state.winner?.factId).toBe('b');
    expect(state.conflicts.map((e) => e.factId)).toEqual(['a']);
    const c = {
      factId: 'c',
      forumId: 'energy',
      hlc: hlcFormat({ wallMs: 3, counter: 0, node: 'k1' }),
      deviceId: 'k1',
      replaces: currentHeads([a, b]),
    };
    expect(resolveRegister([c, a, b])).toEqual({ winner: c, conflicts: [] });
  });

  it('ties on HLC wall time break by device id, deterministically', () => {
    const x = { factId: 'x', forumId: 'bio', hlc: '000000000000001-00000-k1', deviceId: 'k1', replaces: [] };
    const y = { factId: 'y', forumId: 'it', hlc: '000000000000001-00000-k2', deviceId: 'k2', replaces: [] };
    expect(resolveRegister([x, y]).winner?.factId).toBe('y');
    expect(resolveRegister([y, x]).winner?.factId).toBe('y');
  });
});
