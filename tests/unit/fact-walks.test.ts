import fc from 'fast-check';
import { expect, it } from 'vitest';
import { jsonBytesAtMost, nestedDeeperThan, utf8Bytes } from '../../shared/sync/json-walks.ts';

/** The first, iterative depth check: the bounded recursion must answer as it did. */
function firstDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

const values = fc.anything({
  maxDepth: 6,
  withSparseArray: true,
  withNullPrototype: true,
  withObjectString: true,
  stringUnit: 'binary',
});

it('the depth check answers as the iterative one did, at every limit', () => {
  fc.assert(
    fc.property(values, fc.integer({ min: 0, max: 7 }), (value, max) => {
      expect(nestedDeeperThan(value, max)).toBe(firstDeeperThan(value, max));
    }),
    { numRuns: 2000 },
  );
});

it('the size bound is never below the bytes JSON.stringify writes (so a fact over 64 KB is always measured)', () => {
  fc.assert(
    fc.property(values, (value) => {
      const text = JSON.stringify(value) ?? '';
      expect(jsonBytesAtMost(value)).toBeGreaterThanOrEqual(utf8Bytes(text));
    }),
    { numRuns: 2000 },
  );
  // Escapes, astral characters, the longest numbers (25 characters: a minus, "0.00000" and 17 digits).
  for (const value of [
    { a: '\u0000\u001f"\\' },
    ['👋刘ß'],
    -2.2250738585072014e-308,
    { n: -1.7976931348623157e308 },
    -0.0000011561753194746641,
  ]) {
    expect(jsonBytesAtMost(value)).toBeGreaterThanOrEqual(utf8Bytes(JSON.stringify(value)));
  }
  expect(jsonBytesAtMost({ toJSON: () => 'x'.repeat(100) })).toBe(Infinity);
});

it('a fact padded with the longest numbers cannot pass as under 64 KB unmeasured (found by the property run)', () => {
  // 2,521 numbers of 25 characters: 65,548 bytes of JSON. A bound of 24 per number said 63,027, under
  // the 64 KB limit, so the exact size was never taken and the fact passed.
  const padded = Array.from({ length: 2521 }, () => -0.0000011561753194746641);
  const bytes = utf8Bytes(JSON.stringify(padded));
  expect(bytes).toBeGreaterThan(65_536);
  expect(jsonBytesAtMost(padded)).toBeGreaterThanOrEqual(bytes);
});
