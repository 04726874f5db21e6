/**
 * Retry delays for the sync loop: AWS "exponential backoff and jitter", full-jitter variant (R7).
 * Attempt n waits uniformly in [0, min(cap, base·2^n)]; after `longAfter` failures the kiosk settles on
 * a slow 5-minute poll. A server's Retry-After is a floor. Pure, with the random source injected.
 */
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 60_000;
export const BACKOFF_LONG_MS = 5 * 60_000;
/** Failures before the 5-minute regime: 1 s·2^6 = 64 s has reached the cap by then. */
export const BACKOFF_LONG_AFTER = 10;

export function backoffCeiling(failures: number): number {
  if (failures >= BACKOFF_LONG_AFTER) return BACKOFF_LONG_MS;
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures));
}

/** Delay before the next attempt after `failures` consecutive failures (0 = the first retry). */
export function backoffDelay(failures: number, random: () => number, retryAfterMs: number): number {
  const jittered = Math.floor(random() * backoffCeiling(failures));
  return Math.max(jittered, retryAfterMs);
}

export const RETRY_AFTER_MAX_MS = 3_600_000;

/** Parses an HTTP Retry-After header (seconds or an HTTP date) into ms from `nowMs`; 0 when absent. */
export function parseRetryAfter(header: string | null, nowMs: number): number {
  if (header === null || header.trim() === '') return 0;
  const text = header.trim();
  // A server may ask for a pause, not for silence: anything beyond an hour is taken as an hour.
  if (/^\d+$/.test(text)) return Math.min(RETRY_AFTER_MAX_MS, Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? 0 : Math.min(RETRY_AFTER_MAX_MS, Math.max(0, date - nowMs));
}
