import v8 from 'node:v8';
import vm from 'node:vm';
import { createLogger } from './log.ts';

const log = createLogger('kiosk');

/**
 * A young generation larger than this (new_space's size in getHeapSpaceStatistics: two semi-spaces; 2 MiB
 * when V8 starts) is shrunk as an import starts. Up to semi-spaces of 4 MiB a scavenge stays short enough,
 * and the shrink itself holds the door 20–80 ms (a memory-reducing full collection), so it is kept for a
 * space that grew large (16–128 MiB, which a process's loading and an earlier import reach).
 */
const SHRINK_ABOVE_BYTES = 8 * 1048576;
/** V8's defaults for the two flags changed here, put back when no import runs. */
const DEFAULT_GROWTH_FACTOR = 2;

let holders = 0;

/**
 * Runs `work` (a roster upload or import: bulk work on the door's thread, between scans) with V8's young
 * generation kept at its starting size, so that no garbage collection holds a scan for long meanwhile.
 *
 * Why: V8 grows the young generation (up to 64 MiB per semi-space in Node 24) while most young objects
 * survive, which is what an import's checking does: every row leaves its email and code in the plan's
 * maps. A scavenge copies every survivor, so at that size each one held the door's thread 12–35 ms, ten
 * times per 100,000-row import: the largest share of a first check-in's p99 during an import (roster
 * bench, 2026-12-02: scans waiting 15–19 ms, each behind a scavenge of the same length). Kept small,
 * scavenges are small and frequent (0.3–6 ms each), and they run on this thread alone: on a laptop
 * whose 2 cores the import's workers keep busy, waiting for V8's helper threads to be scheduled made
 * 1 ms of scavenging a 4–12 ms pause (--trace-gc-nvp).
 *
 * Why only during imports: the small young generation costs throughput everywhere. Set for the whole
 * process, one full `npm run bench` beside the last one on the same machine ran slower in every
 * allocation-heavy figure (CSV import 2.8 → 3.9 s, export 0.6 → 1.0 s, pull 3.0 → 3.8 s, the idle
 * door's scan p99 ÷ floor 1.8 → 2.8, cold start +60 ms for the shrinking below).
 *
 * How: `--semi-space-growth-factor` is read each time V8 considers growing the space and
 * `--parallel-scavenge` at each scavenge, so both take effect when set at run time (the size limits are
 * read once, when the heap is made; Electron reads `--js-flags` for its main process only from the real
 * command line). A space that already grew large is shrunk by one memory-reducing collection (the
 * `last-resort` flavour of V8's gc()) as the work starts. Sections nest; the defaults come
 * back when the last one ends. A refusal only logs: the work then runs with V8's defaults.
 */
export async function withShortGcPauses<T>(work: () => Promise<T>): Promise<T> {
  if (holders++ === 0) setShortPauses(true);
  try {
    return await work();
  } finally {
    if (--holders === 0) setShortPauses(false);
  }
}

function setShortPauses(on: boolean): void {
  try {
    v8.setFlagsFromString(`--semi-space-growth-factor=${on ? 1 : DEFAULT_GROWTH_FACTOR}`);
    v8.setFlagsFromString(on ? '--no-parallel-scavenge' : '--parallel-scavenge');
    if (on && newSpaceBytes() > SHRINK_ABOVE_BYTES) shrinkYoungGeneration();
  } catch (error) {
    log.warn('could not change the young generation', { on, error: String(error) });
  }
}

function newSpaceBytes(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

function shrinkYoungGeneration(): void {
  // A context made while --expose-gc is on has gc(); the flag goes off again at once, so nothing else sees it.
  // (tests/integration/gc-pauses.test.ts fails if V8 stops honouring any of this: the space would stay large.)
  v8.setFlagsFromString('--expose-gc');
  let gc: unknown;
  try {
    gc = vm.runInNewContext('typeof gc === "function" ? gc : null');
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
  if (typeof gc !== 'function') return log.info('young generation left as it grew (no gc())', {});
  const before = newSpaceBytes();
  const began = performance.now();
  (gc as (options: object) => void)({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  log.info('young generation shrunk', {
    fromMb: before / 1048576,
    toMb: newSpaceBytes() / 1048576,
    ms: Math.round(performance.now() - began),
  });
}
