/**
 * The bench's arithmetic: percentiles, and figures made of rounds. A timing figure is the median of its
 * rounds with the smallest and largest beside it, so one noisy round on a shared machine shows as a wide
 * min–max instead of moving the headline.
 */

export interface Figure {
  min: number;
  median: number;
  max: number;
  rounds: number;
}

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Milliseconds to 3 decimals (µs), enough for sub-millisecond figures. */
export const round3 = (n: number): number => Math.round(n * 1000) / 1000;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One figure from the value of each round. */
export function figure(values: readonly number[]): Figure {
  if (values.length === 0) throw new Error('a figure needs at least one round');
  return {
    min: round3(Math.min(...values)),
    median: round3(median(values)),
    max: round3(Math.max(...values)),
    rounds: values.length,
  };
}

/** Runs `measure` `rounds` times (sync or async) and makes one figure of what it returns. */
export async function inRounds(rounds: number, measure: (round: number) => number | Promise<number>): Promise<Figure> {
  const values: number[] = [];
  for (let r = 0; r < rounds; r++) values.push(await measure(r));
  return figure(values);
}

export function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/** A target: the measured value, the goal, and whether it is met (`atMost`: lower is better). */
export interface Target {
  value: number;
  goal: number;
  met: boolean;
}

export const atMost = (value: number, goal: number): Target => ({ value: round3(value), goal, met: value <= goal });
export const atLeast = (value: number, goal: number): Target => ({ value: round3(value), goal, met: value >= goal });
