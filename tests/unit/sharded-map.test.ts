import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShardedMap } from '../../shared/sharded-map.ts';

describe('ShardedMap', () => {
  it('answers every get, has, size and keys as one Map does, for any sequence of sets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.integer()), { maxLength: 300 }),
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 50 }),
        (sets, probes) => {
          const sharded = new ShardedMap<number>();
          const plain = new Map<string, number>();
          for (const [key, value] of sets) {
            sharded.set(key, value);
            plain.set(key, value);
          }
          expect(sharded.size).toBe(plain.size);
          for (const key of [...probes, ...plain.keys()]) {
            expect(sharded.get(key)).toBe(plain.get(key));
            expect(sharded.has(key)).toBe(plain.has(key));
          }
          expect([...sharded.keys()].sort()).toEqual([...plain.keys()].sort());
        },
      ),
      { numRuns: 500 },
    );
  });

  it('spreads emails that differ only at their start, and codes that differ only at their end', () => {
    const emails = new ShardedMap<number>();
    const codes = new ShardedMap<number>();
    for (let i = 0; i < 6400; i++) {
      emails.set(`guest${i}@example.org`, i);
      codes.set(`CN-2026-${String(i).padStart(5, '0')}`, i);
    }
    // No shard holds more than twice its share (100 of 6,400): one shard's rehash stays a 64th of the whole.
    for (const map of [emails, codes]) {
      const sizes = (map as unknown as { shards: Array<Map<string, number>> }).shards.map((s) => s.size);
      expect(Math.max(...sizes)).toBeLessThan(200);
    }
  });
});
