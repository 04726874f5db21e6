import { lookupLockSeconds } from '../../../shared/self-service/identify.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { createLogger } from '../log.ts';
import type { MetaStore } from '../meta.ts';

const log = createLogger('self-service-lookup');

const MISSES_KEY = 'self_lookup_misses';
const LOCKED_UNTIL_KEY = 'self_lookup_locked_until_ms';

/**
 * Counts name lookups at the self-service screen that found nobody, for the whole kiosk (someone trying
 * second facts for a name they know tries them here, whoever they claim to be), and closes lookups for a
 * growing while after every fifth miss in a row. Kept in the database, so a restart or a reload does not
 * reopen them. Only a lookup that checks a guest in starts the count again: a match of a guest already
 * checked in cannot be replayed to reset it.
 */
export class LookupGuard {
  private readonly now: () => number;
  private readonly meta: MetaStore;

  constructor(meta: MetaStore, now: () => number) {
    this.now = now;
    this.meta = meta;
  }

  /** Seconds until lookups open again (0 = open). */
  lockedSeconds(): number {
    const remainingMs = Number(this.meta.get(LOCKED_UNTIL_KEY) ?? 0) - this.now();
    return remainingMs > 0 ? Math.ceil(remainingMs / 1000) : 0;
  }

  requireOpen(): void {
    const seconds = this.lockedSeconds();
    if (seconds > 0)
      throw new LanyardFailure('lookup_locked', `too many lookups found nobody; try again in ${seconds} s`);
  }

  miss(): void {
    const misses = Number(this.meta.get(MISSES_KEY) ?? 0) + 1;
    this.meta.set(MISSES_KEY, String(misses));
    const seconds = lookupLockSeconds(misses);
    if (seconds === 0) return;
    this.meta.set(LOCKED_UNTIL_KEY, String(this.now() + seconds * 1000));
    log.warn('self-service lookups locked', { misses, seconds });
  }

  checkedIn(): void {
    if (this.meta.get(MISSES_KEY) !== '0') this.meta.set(MISSES_KEY, '0');
  }
}
