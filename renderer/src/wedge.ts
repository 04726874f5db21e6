/**
 * Tells a keyboard-wedge scanner from a person. A scanner "types" a whole code in a burst — a few ms
 * per key — and ends with Enter or Tab; people type 80+ ms apart. We look at the median gap, so one
 * slow keystroke (the OS scheduling) does not turn a scan into a search.
 */
export const WEDGE_MAX_MEDIAN_GAP_MS = 35;
export const WEDGE_MIN_KEYS = 4;
/**
 * A pause this long ends a run of keys: the run starts over. Generous, because a busy page (a badge being
 * drawn) can hold a scanner's key back for a while; whether a run is a burst is still the median's call.
 */
export const WEDGE_RUN_BREAK_MS = 300;
/** Withheld keys go back to the field after this long without a key (a fast typist waits no longer). */
export const WEDGE_GIVE_BACK_MS = 120;

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

/**
 * Where the scanner's keys begin among a run's key times. Each place a run could be cut is scored by the
 * gaps it would explain wrongly — slow gaps inside the burst after it, fast gaps among the person's keys
 * before it — and the cheapest cut wins (the earliest, on a tie). A person's keys are slow and a scanner's
 * fast, so "Schm" typed before a badge costs nothing to cut off; a burst held back by a loaded machine
 * (one key late here, two there, even two in a row) costs less to keep whole than to cut, since the
 * burst's fast gaps before any stall outnumber the stalls. A rule that looked only at the gaps next to a
 * slow one cut a badge's first digits off when two stalls came close together (a 24-digit badge typed at
 * 5 ms per key on a loaded CI machine: an unknown code for a valid badge).
 */
export function burstStart(keyTimes: readonly number[]): number {
  const n = keyTimes.length;
  if (n < 2) return 0;
  // slow[i]: the gap before key i (i ≥ 1) is slower than a scanner's.
  const slow = (i: number): boolean => keyTimes[i]! - keyTimes[i - 1]! > WEDGE_MAX_MEDIAN_GAP_MS;
  // Cut before key s: gaps 1..s-1 are the person's (wrong if fast), gaps s+1..n-1 the burst's (wrong if
  // slow); gap s, between the two, is either.
  let slowInBurst = 0;
  for (let i = 1; i < n; i++) if (slow(i)) slowInBurst++;
  let fastBefore = 0;
  let best = 0;
  let bestCost = slowInBurst;
  for (let s = 1; s < n; s++) {
    if (slow(s)) slowInBurst--;
    if (s >= 2 && !slow(s - 1)) fastBefore++;
    const cost = slowInBurst + fastBefore;
    if (cost < bestCost) {
      best = s;
      bestCost = cost;
    }
  }
  // The run's opening key, then a pause a busy page can cause, then the burst: the scanner's first key
  // held back, not a person's (a person's single key this close before a scan is the rarer case).
  if (best === 1 && keyTimes[1]! - keyTimes[0]! <= WEDGE_RUN_BREAK_MS) return 0;
  return best;
}

/** The last keys of a run form a scanner's burst (a person's slow keys before it do not count). */
export function endsInBurst(keyTimes: readonly number[]): boolean {
  return isWedgeBurst(keyTimes.slice(burstStart(keyTimes)));
}

/**
 * The code a burst typed into a text field, at Enter: the text between where the caret stood when the
 * burst's first key came down and where it stands now. `caretBefore[i]` is the caret at key i's keydown
 * (before the key's character is in). A person's slowly typed letters before the burst ("Schm…", half a
 * name searched when a guest held out a badge) are not part of the code: taken together they would make a
 * valid badge an unknown code. Null when the run does not end in a burst.
 */
export function burstTextInField(
  text: string,
  caretNow: number,
  keyTimes: readonly number[],
  caretBefore: readonly number[],
): string | null {
  const from = burstStart(keyTimes);
  if (!isWedgeBurst(keyTimes.slice(from))) return null;
  const start = caretBefore[from];
  if (start === undefined || start > caretNow || caretNow > text.length) return text;
  return text.slice(start, caretNow);
}

/** What to do with one printable key. `release`: withheld text to hand back to the field before it. */
export interface KeyDecision {
  /** Keep this key out of the field (it looks like part of a scanner burst). */
  withhold: boolean;
  release: string;
  /** This key starts a new run (earlier keys are forgotten). */
  runStart: boolean;
}

/**
 * What Enter or Tab means. A scan: `fromKey` is the index (in the run) of its first key; the field goes
 * back to how it was just before that key.
 */
export type EndDecision =
  | { scan: string; firstKeyAt: number; fromKey: number; release: string }
  | { scan: null; firstKeyAt: null; fromKey: null; release: string };

/**
 * The scanner-burst state machine behind window-level scan capture (scan-capture.ts), free of the DOM so
 * it is unit-tested with exact times. The first key of a burst cannot be told from a person's key, so it
 * reaches the field; from the second fast key on, keys are withheld, and a scan restores the field as it
 * was before the burst's first key. If the keys turn out to be a person's (a slow key, a pause, Enter
 * after too few keys), the withheld keys are handed back in order, so a fast typist never loses a letter.
 */
export class BurstDetector {
  private keys: Array<{ key: string; at: number }> = [];
  /** Index of the first withheld key of the run, or -1. */
  private withheldFrom = -1;

  /** Keys are being withheld: a scan is most likely in progress. */
  get withholding(): boolean {
    return this.withheldFrom >= 0;
  }

  private times(): number[] {
    return this.keys.map((k) => k.at);
  }

  private burstLike(): { from: number; fast: boolean } {
    const times = this.times();
    const from = burstStart(times);
    const burst = times.slice(from);
    return { from, fast: burst.length >= 2 && medianGap(burst) <= WEDGE_MAX_MEDIAN_GAP_MS };
  }

  key(key: string, at: number): KeyDecision {
    let release = '';
    const last = this.keys[this.keys.length - 1];
    if (last !== undefined && at - last.at > WEDGE_RUN_BREAK_MS) release = this.reset();
    const runStart = this.keys.length === 0;
    this.keys.push({ key, at });
    if (this.burstLike().fast) {
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
    const times = this.times();
    const last = times[times.length - 1];
    const from = burstStart(times);
    if (last !== undefined && at - last <= WEDGE_RUN_BREAK_MS && isWedgeBurst(times.slice(from))) {
      // Keys withheld before the burst began (a person's) go back first; normally there are none.
      const release = this.withheldFrom >= 0 && this.withheldFrom < from ? this.withheldText(from) : '';
      const scan = this.keys
        .slice(from)
        .map((k) => k.key)
        .join('');
      const firstKeyAt = times[from]!;
      this.keys = [];
      this.withheldFrom = -1;
      return { scan, firstKeyAt, fromKey: from, release };
    }
    return { scan: null, firstKeyAt: null, fromKey: null, release: this.reset() };
  }

  /** A key that is not text: the run is over. Returns the withheld text to give back. */
  idle(): string {
    return this.reset();
  }

  /**
   * No key came for WEDGE_GIVE_BACK_MS: give the withheld keys back, but keep the run, so a burst held
   * up by a busy page still ends as a scan (the field is then restored from before the burst).
   */
  pause(): string {
    const release = this.withheldText(this.keys.length);
    this.withheldFrom = -1;
    return release;
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
