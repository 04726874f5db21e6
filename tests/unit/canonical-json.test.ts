import fc from 'fast-check';
import { expect, it } from 'vitest';
import { canonicalJson } from '../../shared/sync/canonical.ts';

/**
 * The first version of canonical JSON, as the hashes already stored on servers (fact_log.content_hash) and
 * in hand-off files were made: the faster one must write exactly its bytes, or a fact pushed again after
 * an update would be taken for a reused id.
 */
function firstVersion(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => firstVersion(v)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${firstVersion(v)}`;
  }
  return `${out}}`;
}

it('canonical JSON writes the bytes of its first version for any value (keys in any order, holes, undefined)', () => {
  fc.assert(
    fc.property(
      fc.anything({
        maxDepth: 5,
        withSparseArray: true,
        withNullPrototype: true,
        withObjectString: true,
        withBoxedValues: true,
      }),
      (value) => {
        expect(canonicalJson(value)).toBe(firstVersion(value));
      },
    ),
    { numRuns: 2000 },
  );
  // Integer-like keys sort as strings, not as JavaScript orders them; unicode keys are quoted as JSON does.
  const holed: unknown[] = [undefined, () => 1];
  holed[3] = 'é\u2028"';
  const tricky = { 10: 1, 9: holed, ключ: { b: null, a: -0 } };
  expect(canonicalJson(tricky)).toBe(firstVersion(tricky));
  expect(canonicalJson(tricky)).toBe('{"10":1,"9":[null,null,,"é\u2028\\""],"ключ":{"a":0,"b":null}}');
});

it('plain JSON data (written natively with a sorted key list) gives the bytes of the first version too', () => {
  // Keys shared by objects at different depths, keys some objects lack, names Object.prototype also has.
  const key = fc.constantFrom('a', 'b', '10', '9', 'ключ', 'constructor', 'toString', 'valueOf', '__proto__', 'é');
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue({ maxDepth: 2 }),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    ),
  })).value;
  fc.assert(
    fc.property(json, (value) => {
      expect(canonicalJson(value)).toBe(firstVersion(value));
    }),
    { numRuns: 3000 },
  );
  const plain = { 10: [{ b: 1, a: { toString: 's', z: [] } }], 9: -0, constructor: { c: null }, x: undefined };
  expect(canonicalJson(plain)).toBe(firstVersion(plain));
  expect(canonicalJson(plain)).toBe('{"10":[{"a":{"toString":"s","z":[]},"b":1}],"9":0,"constructor":{"c":null}}');
});
