import { backoffDelay } from '../../../shared/sync/backoff.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { createLogger } from '../log.ts';
import type { SyncEngine } from './engine.ts';

const log = createLogger('sync-loop');

/** How often a healthy kiosk syncs: often enough for a live central view, cheap when idle. */
export const SYNC_INTERVAL_MS = 5_000;

/**
 * Runs sync rounds in the background: every few seconds while healthy; after failures, full-jitter
 * exponential backoff (R7) with the server's Retry-After as a floor; stops altogether when the server
 * refuses the token (401/403) until staff pair again. Scanning never waits for any of this.
 */
export class SyncLoop {
  private readonly engine: SyncEngine;
  private readonly random: () => number;
  private readonly now: () => number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private running = false;

  constructor(engine: SyncEngine, random: () => number, now: () => number) {
    this.engine = engine;
    this.random = random;
    this.now = now;
  }

  /** The loop is running (a host started it); tests and the CLI drive rounds themselves. */
  get active(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.engine.nextAttemptMs = null;
  }

  /** Sync now (a scan just happened, or staff pressed the button); resets the backoff. */
  trigger(): void {
    if (!this.running) return;
    this.failures = 0;
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.engine.nextAttemptMs = this.now() + delayMs;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (!this.running || !this.engine.paired) return;
    if (this.engine.needsReauth) {
      this.stop();
      return;
    }
    try {
      await this.engine.syncOnce();
      this.failures = 0;
      if (this.running) this.schedule(SYNC_INTERVAL_MS);
    } catch (error) {
      if (this.engine.needsReauth) {
        log.warn('sync stopped until the kiosk is paired again');
        this.stop();
        return;
      }
      const delay = backoffDelay(this.failures, this.random, this.engine.retryAfterMs);
      this.failures += 1;
      if (!(error instanceof LanyardFailure)) log.warn('sync round failed', { error: String(error) });
      if (this.running) this.schedule(delay);
    }
  }
}
