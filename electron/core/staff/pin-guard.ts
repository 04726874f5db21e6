import { LanyardFailure } from '../../../shared/result.ts';
import { pinLockSeconds } from '../../../shared/staff/schemas.ts';
import { createLogger } from '../log.ts';
import type { MetaStore } from '../meta.ts';

const log = createLogger('pin-guard');

/**
 * Counts wrong PINs for the whole kiosk (an attacker guesses PINs, not people) and locks PIN entry after
 * five in a row, for a growing delay. Kept in the database, so restarting the app or the host does not
 * reset it, and in the core, so IPC, the loopback host and every dialog share it.
 */
export class PinGuard {
  private readonly meta: MetaStore;
  private readonly now: () => number;

  constructor(meta: MetaStore, now: () => number) {
    this.meta = meta;
    this.now = now;
  }

  /** Seconds until PIN entry opens again (0 = open). */
  lockedSeconds(): number {
    const until = Number(this.meta.get('pin_locked_until_ms') ?? 0);
    return Math.max(0, Math.ceil((until - this.now()) / 1000));
  }

  /** Runs one PIN check; null from `check` is a wrong PIN. Refuses without checking while locked. */
  attempt<T>(check: () => T | null): T {
    const locked = this.lockedSeconds();
    if (locked > 0) throw new LanyardFailure('pin_locked', `too many wrong PINs; try again in ${locked} s`);
    const result = check();
    if (result !== null) {
      this.meta.set('pin_failures', '0');
      return result;
    }
    const failures = Number(this.meta.get('pin_failures') ?? 0) + 1;
    this.meta.set('pin_failures', String(failures));
    const lockFor = pinLockSeconds(failures);
    if (lockFor > 0) {
      this.meta.set('pin_locked_until_ms', String(this.now() + lockFor * 1000));
      log.warn('PIN entry locked', { failures, seconds: lockFor });
      throw new LanyardFailure('pin_locked', `too many wrong PINs; try again in ${lockFor} s`);
    }
    throw new LanyardFailure('bad_pin', 'wrong name or PIN');
  }
}
