import { afterEach, describe, expect, it, vi } from 'vitest';
import { LanyardFailure } from '../../shared/result.ts';
import {
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  BACKOFF_LONG_AFTER,
  BACKOFF_LONG_MS,
  backoffCeiling,
  backoffDelay,
  parseRetryAfter,
  RETRY_AFTER_MAX_MS,
} from '../../shared/sync/backoff.ts';
import type { SyncEngine } from '../../electron/core/sync/engine.ts';
import { SYNC_INTERVAL_MS, SyncLoop } from '../../electron/core/sync/loop.ts';

/** mulberry32: a small seeded PRNG in [0, 1), so every run sees the same draws. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('full-jitter backoff (R7)', () => {
  it('attempt n waits in [0, min(cap, base·2^n)], spread over the whole range', () => {
    const random = seeded(7);
    for (let n = 0; n < BACKOFF_LONG_AFTER; n++) {
      const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** n);
      expect(backoffCeiling(n)).toBe(ceiling);
      const draws = Array.from({ length: 2000 }, () => backoffDelay(n, random, 0));
      for (const d of draws) {
        expect(Number.isInteger(d)).toBe(true);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(ceiling);
      }
      // Full jitter, not "equal jitter" or a fixed delay: the draws cover [0, ceiling] about evenly.
      const mean = draws.reduce((s, d) => s + d, 0) / draws.length;
      expect(mean / ceiling).toBeGreaterThan(0.45);
      expect(mean / ceiling).toBeLessThan(0.55);
      expect(Math.min(...draws)).toBeLessThan(ceiling * 0.05);
      expect(Math.max(...draws)).toBeGreaterThan(ceiling * 0.95);
    }
  });

  it('the extremes of the random source stay inside the range', () => {
    for (let n = 0; n < 15; n++) {
      expect(backoffDelay(n, () => 0, 0)).toBe(0);
      expect(backoffDelay(n, () => 0.999_999_999, 0)).toBeLessThanOrEqual(backoffCeiling(n));
    }
  });

  it('reaches the cap at 2^6 s and settles on the 5-minute regime after BACKOFF_LONG_AFTER failures', () => {
    expect(backoffCeiling(5)).toBe(32_000);
    expect(backoffCeiling(6)).toBe(BACKOFF_CAP_MS);
    expect(backoffCeiling(BACKOFF_LONG_AFTER - 1)).toBe(BACKOFF_CAP_MS);
    const random = seeded(11);
    for (const n of [BACKOFF_LONG_AFTER, BACKOFF_LONG_AFTER + 1, 50, 1000]) {
      expect(backoffCeiling(n)).toBe(BACKOFF_LONG_MS);
      const draws = Array.from({ length: 1000 }, () => backoffDelay(n, random, 0));
      for (const d of draws) expect(d).toBeLessThanOrEqual(BACKOFF_LONG_MS);
      // Slower on average than the capped regime: a kiosk that has failed this long polls lazily.
      const mean = draws.reduce((s, d) => s + d, 0) / draws.length;
      expect(mean).toBeGreaterThan(BACKOFF_CAP_MS);
    }
    // A negative count (never passed by the loop) is treated as the first retry.
    expect(backoffCeiling(-3)).toBe(BACKOFF_BASE_MS);
  });

  it("takes the server's Retry-After as a floor, never lowering a longer jittered delay", () => {
    const random = seeded(3);
    for (let n = 0; n < 14; n++) {
      for (const retryAfter of [0, 500, 5_000, 120_000, 600_000]) {
        const d = backoffDelay(n, random, retryAfter);
        expect(d).toBeGreaterThanOrEqual(retryAfter);
        expect(d).toBeLessThanOrEqual(Math.max(retryAfter, backoffCeiling(n)));
      }
    }
    expect(backoffDelay(8, () => 0.5, 1_000)).toBe(30_000); // jitter above the floor wins
    expect(backoffDelay(8, () => 0.01, 5_000)).toBe(5_000); // the floor wins
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-05-04T10:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 5 ', now)).toBe(5_000);
    // RFC 9110: delay-seconds is 1*DIGIT; anything else is not a delay.
    expect(parseRetryAfter('1.5', now)).toBe(0);
    expect(parseRetryAfter('0x10', now)).toBe(0);
  });

  it('takes a pause of more than an hour as an hour', () => {
    expect(parseRetryAfter('86400', now)).toBe(RETRY_AFTER_MAX_MS);
    expect(parseRetryAfter(new Date(now + 86_400_000).toUTCString(), now)).toBe(RETRY_AFTER_MAX_MS);
  });

  it('reads an HTTP date relative to now, and a past date as no wait', () => {
    expect(parseRetryAfter('Mon, 04 May 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 04 May 2026 10:05:00 GMT', now)).toBe(300_000);
    expect(parseRetryAfter('Mon, 04 May 2026 09:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(new Date(now + 42_000).toUTCString(), now)).toBe(42_000);
  });

  it('treats absent, empty, negative and unparsable values as no floor', () => {
    expect(parseRetryAfter(null, now)).toBe(0);
    expect(parseRetryAfter('', now)).toBe(0);
    expect(parseRetryAfter('   ', now)).toBe(0);
    expect(parseRetryAfter('-5', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBe(0);
    expect(parseRetryAfter('Infinity', now)).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------
// The real SyncLoop, on fake timers, against a stand-in engine whose server is down for a while.

interface StubEngine {
  paired: boolean;
  needsReauth: boolean;
  retryAfterMs: number;
  nextAttemptMs: number | null;
  syncOnce(): Promise<unknown>;
}

/** A kiosk's engine: records each request; fails (like the real one) while the server is down. */
function stubEngine(isDown: (t: number) => boolean, retryAfterMs = 0): { engine: StubEngine; requests: number[] } {
  const requests: number[] = [];
  const engine: StubEngine = {
    paired: true,
    needsReauth: false,
    retryAfterMs: 0,
    nextAttemptMs: null,
    syncOnce: () => {
      const t = Date.now();
      requests.push(t);
      if (isDown(t)) {
        engine.retryAfterMs = retryAfterMs;
        return Promise.reject(new LanyardFailure('server_unreachable', 'server down (simulated)'));
      }
      engine.retryAfterMs = 0;
      return Promise.resolve({ pushed: 0, pulled: 0 });
    },
  };
  return { engine, requests };
}

const T0 = Date.parse('2026-05-04T09:00:00Z');
const OUTAGE_MS = 5 * 60_000;
const KIOSK_COUNT = 8;

/**
 * 8 kiosks whose sync rounds all fail at the same moment (the server went down mid-round for all of
 * them: the thundering-herd case), retrying until it is back after 5 minutes.
 */
async function simulateOutage(randomFor: (i: number) => () => number, horizonMs: number): Promise<number[][]> {
  vi.useFakeTimers({ now: T0 });
  const isDown = (t: number) => t < T0 + OUTAGE_MS;
  const kiosks = Array.from({ length: KIOSK_COUNT }, (_, i) => {
    const { engine, requests } = stubEngine(isDown);
    const loop = new SyncLoop(engine as unknown as SyncEngine, randomFor(i), () => Date.now());
    return { loop, requests };
  });
  for (const k of kiosks) k.loop.start();
  // In small steps, so the promise of each round settles before its next timer.
  for (let t = 0; t < horizonMs; t += 50) await vi.advanceTimersByTimeAsync(50);
  for (const k of kiosks) k.loop.stop();
  return kiosks.map((k) => k.requests.map((r) => r - T0));
}

/**
 * What the schedule allows one kiosk in `ms` of failures: its first round, the BACKOFF_LONG_AFTER quick
 * retries (together under ~2.5 min on average), then the 5-minute regime at its mean rate (one per
 * 2.5 min), plus one for jitter.
 */
function scheduleBound(ms: number): number {
  return 1 + BACKOFF_LONG_AFTER + Math.ceil(ms / (BACKOFF_LONG_MS / 2)) + 1;
}

describe('8 kiosks against a server down for 5 minutes (R7 simulation)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('do not retry in lock-step, stay under the schedule bound, and recover to the normal interval', async () => {
    const horizon = OUTAGE_MS + BACKOFF_LONG_MS + 2 * SYNC_INTERVAL_MS;
    const perKiosk = await simulateOutage((i) => seeded(1000 + i), horizon);
    const during = perKiosk.map((rs) => rs.filter((t) => t < OUTAGE_MS));
    // Every kiosk's first round fails at t=0; after that, the retries.
    for (const rs of during) expect(rs[0]).toBe(0);
    const retries = during.flatMap((rs) => rs.slice(1)).sort((a, b) => a - b);

    // Not in lock-step: no two kiosks retry at the same instant, and consecutive retries across the
    // fleet are spread out rather than bunched (a lock-step fleet has 7 zero gaps out of every 8).
    expect(new Set(retries).size).toBe(retries.length);
    const gaps = retries.slice(1).map((t, i) => t - retries[i]!);
    const tiny = gaps.filter((g) => g < 20).length;
    expect(tiny / gaps.length).toBeLessThan(0.1);
    expect(new Set(gaps).size).toBeGreaterThan(gaps.length * 0.8);
    // Each kiosk's n-th retry lands somewhere else than the others' n-th retry.
    for (let n = 1; n < 6; n++) {
      const nth = during.map((rs) => rs[n]).filter((t): t is number => t !== undefined);
      expect(Math.max(...nth) - Math.min(...nth)).toBeGreaterThan(0.5 * backoffCeiling(n - 1) * 0.5);
    }

    // The request count stays under what the schedule implies, and far below fixed-interval polling.
    const total = during.reduce((s, rs) => s + rs.length, 0);
    expect(total).toBeLessThanOrEqual(KIOSK_COUNT * scheduleBound(OUTAGE_MS));
    expect(total).toBeLessThan((KIOSK_COUNT * OUTAGE_MS) / SYNC_INTERVAL_MS / 3);
    for (const rs of during) {
      // Once in the 5-minute regime, a kiosk makes at most a couple of requests per 5 minutes.
      const late = rs.slice(BACKOFF_LONG_AFTER + 1);
      expect(late.length).toBeLessThanOrEqual(3);
    }

    // Everyone is back within one long period after the server is, then polls at the normal interval
    // (the backoff reset on success).
    for (const rs of perKiosk) {
      const firstOk = rs.find((t) => t >= OUTAGE_MS)!;
      expect(firstOk).toBeLessThanOrEqual(OUTAGE_MS + BACKOFF_LONG_MS);
      const after = rs.filter((t) => t >= firstOk);
      for (let i = 1; i < after.length; i++) expect(after[i]! - after[i - 1]!).toBe(SYNC_INTERVAL_MS);
    }
  }, 60_000);

  it('the same measure catches a fleet without jitter (sanity check of the lock-step detector)', async () => {
    const perKiosk = await simulateOutage(() => () => 0.999, OUTAGE_MS);
    const retries = perKiosk.flatMap((rs) => rs.slice(1)).sort((a, b) => a - b);
    expect(new Set(retries).size).toBeLessThan(retries.length / 4);
    const gaps = retries.slice(1).map((t, i) => t - retries[i]!);
    expect(gaps.filter((g) => g < 20).length / gaps.length).toBeGreaterThan(0.8);
  }, 60_000);

  it("a server's Retry-After holds every kiosk off for at least that long", async () => {
    vi.useFakeTimers({ now: T0 });
    const { engine, requests } = stubEngine((t) => t < T0 + OUTAGE_MS, 45_000);
    const loop = new SyncLoop(engine as unknown as SyncEngine, seeded(5), () => Date.now());
    loop.start();
    for (let t = 0; t < OUTAGE_MS; t += 100) await vi.advanceTimersByTimeAsync(100);
    loop.stop();
    expect(requests.length).toBeGreaterThan(2);
    for (let i = 1; i < requests.length; i++) expect(requests[i]! - requests[i - 1]!).toBeGreaterThanOrEqual(45_000);
  }, 60_000);
});
