/**
 * Tells a keyboard-wedge scanner from a person. A scanner "types" a whole code in a burst — a few ms
 * per key — and ends with Enter or Tab; people type 80+ ms apart. We look at the median gap, so one
 * slow keystroke (the OS scheduling) does not turn a scan into a search.
 */
export const WEDGE_MAX_MEDIAN_GAP_MS = 35;
export const WEDGE_MIN_KEYS = 4;
/** A pause this long ends a run of keys: what was withheld goes back to the field, the run starts over. */
export const WEDGE_RUN_BREAK_MS = 120;

function medianGap(keyTimes: readonly number[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < keyTimes.length; i++) gaps.push(keyTimes[i]! - keyTimes[i - 1]!);
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]!;
}

export function isWedgeBurst(keyTimes: readonly number[]): boolean {
  if (keyTimes.length < WEDGE_MIN_KEYS) return false;
  return medianGap(keyTimes) <= WEDGE_MAX_MEDIAN_GAP_MS;
}

/** What to do with one printable key. `release`: withheld text to hand back to the field before it. */
export interface KeyDecision {
  /** Keep this key out of the field (it looks like part of a scanner burst). */
  withhold: boolean;
  release: string;
  /** This key starts a new run: the caller notes the field as it is now, to restore it after a scan. */
  runStart: boolean;
}

/** What Enter or Tab means. A scan: the field gets back its value from before the run. */
export type EndDecision =
  { scan: string; firstKeyAt: number; release: '' } | { scan: null; firstKeyAt: null; release: string };

/**
 * The scanner-burst state machine behind window-level scan capture (scan-capture.ts), free of the DOM so
 * it is unit-tested with exact times. The first key of a burst cannot be told from a person's key, so it
 * reaches the field; from the second fast key on, keys are withheld, and a scan restores the field as it
 * was before the run's first key. If the run turns out to be a person (a slow key, a pause, Enter after
 * too few keys), the withheld keys are handed back in order, so a fast typist never loses a letter.
 */
export class BurstDetector {
  private keys: Array<{ key: string; at: number }> = [];
  /** Index of the first withheld key of the run, or -1. */
  private withheldFrom = -1;

  /** A run is going on (a burst may be in progress). */
  get inRun(): boolean {
    return this.keys.length > 0;
  }

  /** Keys of the current run are being withheld: a scan is most likely in progress. */
  get withholding(): boolean {
    return this.withheldFrom >= 0;
  }

  key(key: string, at: number): KeyDecision {
    let release = '';
    const last = this.keys[this.keys.length - 1];
    if (last !== undefined && at - last.at > WEDGE_RUN_BREAK_MS) release = this.reset();
    const runStart = this.keys.length === 0;
    this.keys.push({ key, at });
    const burstLike = this.keys.length >= 2 && medianGap(this.keys.map((k) => k.at)) <= WEDGE_MAX_MEDIAN_GAP_MS;
    if (burstLike) {
      if (this.withheldFrom < 0) this.withheldFrom = this.keys.length - 1;
      return { withhold: true, release, runStart };
    }
    if (this.withheldFrom >= 0) {
      // It looked like a scanner, then a key came slowly: a person after all. Give the keys back.
      release += this.withheldText(this.keys.length - 1);
      this.withheldFrom = -1;
    }
    return { withhold: false, release, runStart };
  }

  /** Enter or Tab at `at`. */
  end(at: number): EndDecision {
    const times = this.keys.map((k) => k.at);
    const last = times[times.length - 1];
    if (last !== undefined && at - last <= WEDGE_RUN_BREAK_MS && isWedgeBurst(times)) {
      const scan = this.keys.map((k) => k.key).join('');
      const firstKeyAt = times[0]!;
      this.keys = [];
      this.withheldFrom = -1;
      return { scan, firstKeyAt, release: '' };
    }
    return { scan: null, firstKeyAt: null, release: this.reset() };
  }

  /** No key came for WEDGE_RUN_BREAK_MS (or a key that is not text): the run is over. */
  idle(): string {
    return this.reset();
  }

  private withheldText(endExclusive: number): string {
    if (this.withheldFrom < 0) return '';
    return this.keys
      .slice(this.withheldFrom, endExclusive)
      .map((k) => k.key)
      .join('');
  }

  private reset(): string {
    const release = this.withheldText(this.keys.length);
    this.keys = [];
    this.withheldFrom = -1;
    return release;
  }
}
