import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * While an upload or an import runs, the door's process keeps V8's young generation small
 * (electron/core/gc-pauses.ts), so a scavenge never holds a scan for long; outside them V8's defaults
 * apply again. The case runs in a Node process of its own (the flags are the process's), which first
 * grows the young generation, then allocates what an import's checking does — many small records that
 * all survive — inside withShortGcPauses, then again after it.
 */
const GC_PAUSES = path.resolve(import.meta.dirname, '../../electron/core/gc-pauses.ts');

interface Sizes {
  grownBeforeMb: number;
  duringMb: number;
  afterMb: number;
}

function youngGenerationSizes(): Sizes {
  const script = `
    import v8 from 'node:v8';
    const { withShortGcPauses } = await import(${JSON.stringify(GC_PAUSES)});
    const mb = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
    const survivors = (n) => { const kept = []; for (let i = 0; i < n; i++) kept.push({ row: i, email: 'g' + i + '@example.org', codes: ['C' + i] }); return kept; };
    let kept = survivors(400000);
    const grownBeforeMb = mb();
    kept = null;
    let duringMb = 0;
    await withShortGcPauses(async () => {
      const during = survivors(400000);
      await new Promise((r) => setTimeout(r, 20));
      duringMb = mb();
      return during.length;
    });
    const after = survivors(600000);
    console.log(JSON.stringify({ grownBeforeMb, duringMb, afterMb: mb(), kept: after.length }));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Sizes;
}

describe('the door’s garbage collection during an import', () => {
  it('shrinks a grown young generation and keeps it at its starting size, then gives V8 its defaults back', () => {
    const sizes = youngGenerationSizes();
    // The premise: surviving records grow the space when V8 decides (to 32–128 MiB here).
    expect(sizes.grownBeforeMb).toBeGreaterThanOrEqual(16);
    expect(sizes.duringMb).toBeLessThanOrEqual(4);
    // Afterwards it grows again: the small space was the import's, not the process's for good.
    expect(sizes.afterMb).toBeGreaterThanOrEqual(8);
  }, 60_000);
});
