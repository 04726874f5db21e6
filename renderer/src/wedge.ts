/**
 * Tells a keyboard-wedge scanner from a person. A scanner "types" a whole code in a burst — a few ms
 * per key — and ends with Enter or Tab; people type 80+ ms apart. We look at the median gap, so one
 * slow keystroke (the OS scheduling) does not turn a scan into a search.
 */
export const WEDGE_MAX_MEDIAN_GAP_MS = 35;
export const WEDGE_MIN_KEYS = 4;

export function isWedgeBurst(keyTimes: readonly number[]): boolean {
  if (keyTimes.length < WEDGE_MIN_KEYS) return false;
  const gaps: number[] = [];
  for (let i = 1; i < keyTimes.length; i++) gaps.push(keyTimes[i]! - keyTimes[i - 1]!);
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)]!;
  return median <= WEDGE_MAX_MEDIAN_GAP_MS;
}
