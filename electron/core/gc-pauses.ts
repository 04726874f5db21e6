import v8 from 'node:v8';
import vm from 'node:vm';
import { createLogger } from './log.ts';

const log = createLogger('kiosk');

/** V8's young generation before it grows: two semi-spaces of 1 MiB (new_space's size in getHeapSpaceStatistics). */
const STARTING_NEW_SPACE_BYTES = 2 * 1048576;

/**
 * Keeps V8's young generation at its starting size in the door's process, so that no garbage collection
 * holds a scan for long.
 *
 * V8 grows the young generation (up to 64 MiB per semi-space in Node 24) while most young objects
 * survive, which is what an import's checking does: every row's record stays in the plan until the
 * plan is done. A scavenge copies every survivor, so at that size each one held the door's thread
 * 12–35 ms, ten times per 100,000-row import: the largest share of a first check-in's p99 during an
 * import (roster bench, 2026-12-02: scans waiting 15–19 ms, each behind a scavenge of the same length).
 * Not grown, scavenges are small and frequent (0.3–6 ms each); they cost more CPU in all (a survivor is
 * copied before it is promoted, and each scavenge has a fixed cost), but a door answers within one.
 *
 * Scavenged on this thread alone (`--no-parallel-scavenge`): a 1 MiB young generation is ~1 ms of work,
 * and on a laptop whose 2 cores an import's workers keep busy, waiting for V8's helper threads to be
 * scheduled made pauses of 4–5 ms out of 1 ms of scavenging (--trace-gc-nvp), up to 12 ms. Alternating
 * rounds: longest scavenge 5.8–7.4 ms alone against 7.1–11.9 ms in parallel.
 *
 * Both take effect when set at run time (V8 reads the growth factor each time it considers growing the
 * space, and the parallel flag at each scavenge; the size limits are read once, when the heap is made, and Electron reads `--js-flags`
 * for its main process only from the real command line). If loading the app already grew the space, one
 * memory-reducing collection (the `last-resort` flavour of V8's gc(), ~20 ms, once at open) shrinks it back.
 * Idempotent; a refusal only logs: the door then works as before, with longer pauses.
 */
export function keepGcPausesShort(): void {
  if (applied) return;
  applied = true;
  try {
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    v8.setFlagsFromString('--no-parallel-scavenge');
    if (newSpaceBytes() > STARTING_NEW_SPACE_BYTES) shrinkYoungGeneration();
  } catch (error) {
    log.warn('could not keep the young generation small', { error: String(error) });
  }
}

let applied = false;

function newSpaceBytes(): number {
  return v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

function shrinkYoungGeneration(): void {
  // A context made while --expose-gc is on has gc(); the flag goes off again at once, so nothing else sees it.
  // (The test of this module fails if V8 stops honouring any of it: the space would stay large.)
  v8.setFlagsFromString('--expose-gc');
  let gc: unknown;
  try {
    gc = vm.runInNewContext('typeof gc === "function" ? gc : null');
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
  if (typeof gc !== 'function') return log.info('young generation left as loading grew it (no gc())', {});
  const before = newSpaceBytes();
  const began = performance.now();
  (gc as (options: object) => void)({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  log.info('young generation shrunk', {
    fromMb: before / 1048576,
    toMb: newSpaceBytes() / 1048576,
    ms: Math.round(performance.now() - began),
  });
}
