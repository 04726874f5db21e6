import { describe, expect, it } from 'vitest';
import { rosterCells, withDistinctNames } from '../bench/roster-files.ts';

/**
 * The roster bench's distinct-names file must be the heavy case it claims to be: names mostly different
 * (the generator's pools repeat them), every other column as the pooled file has it.
 */
describe('the roster bench’s files', () => {
  it('withDistinctNames: far more different names than the pooled rows, the rest of each row kept', () => {
    const pooled = rosterCells(20_000, 11);
    const distinct = withDistinctNames(pooled);
    const names = (rows: string[][]) => new Set(rows.map((r) => r[0])).size;
    expect(names(pooled)).toBeLessThan(2_000);
    expect(names(distinct)).toBeGreaterThan(5 * names(pooled));
    expect(distinct.map((r) => r.slice(2))).toEqual(pooled.map((r) => r.slice(2)));
    // Each new name still holds the old one: a Latin name gets a given name in front, a CJK name a character after.
    for (const [i, row] of distinct.entries()) expect(row[0]).toContain(pooled[i]![0]!);
  });
});
