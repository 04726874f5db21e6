import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hlcFormat, hlcInit, hlcParse, hlcReceive, hlcTick, type HlcState } from '../../shared/hlc.ts';

describe('hybrid logical clock', () => {
  it('round-trips through its text form', () => {
    const s: HlcState = { wallMs: 1_780_000_000_123, counter: 42, node: 'abc123' };
    expect(hlcParse(hlcFormat(s))).toEqual(s);
  });

  it('rejects a node id that would break the sort order', () => {
    expect(() => hlcInit('a-b')).toThrow();
  });

  // Property: whatever the wall clock does (jumps back by hours, stands still), the timestamps one
  // device issues are strictly increasing as strings, and an event after a receive orders after it.
  it('is strictly monotone per device under skewed and backward clocks, and respects causality', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('tick' as const), now: fc.integer({ min: 0, max: 2 * 3_600_000 }) }),
      fc.record({
        kind: fc.constant('receive' as const),
        now: fc.integer({ min: 0, max: 2 * 3_600_000 }),
        remoteWall: fc.integer({ min: 0, max: 4 * 3_600_000 }),
        remoteCounter: fc.integer({ min: 0, max: 500 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 200 }), (steps) => {
        let state = hlcInit('local');
        let last = hlcFormat(state);
        const base = 1_780_000_000_000;
        for (const s of steps) {
          if (s.kind === 'tick') {
            state = hlcTick(state, base + s.now);
          } else {
            const remote = { wallMs: base + s.remoteWall, counter: s.remoteCounter, node: 'remote' };
            state = hlcReceive(state, remote, base + s.now);
            expect(hlcFormat(state) > hlcFormat(remote)).toBe(true);
          }
          const text = hlcFormat(state);
          expect(text > last).toBe(true);
          last = text;
        }
      }),
    );
  });
});
