import { describe, expect, it } from 'vitest';
import { pinLockSeconds, PIN_TRIES_BEFORE_LOCK } from '../../shared/staff/schemas.ts';

describe('PIN lockout schedule (R19)', () => {
  it('locks on every fifth wrong PIN in a row: 60 s, doubling, at most an hour', () => {
    expect(PIN_TRIES_BEFORE_LOCK).toBe(5);
    const locks = Array.from({ length: 60 }, (_, i) => pinLockSeconds(i + 1));
    expect(locks.slice(0, 4)).toEqual([0, 0, 0, 0]);
    const at = (failures: number) => locks[failures - 1];
    expect([at(5), at(10), at(15), at(20), at(25), at(30), at(35), at(40)]).toEqual([
      60, 120, 240, 480, 960, 1920, 3600, 3600,
    ]);
    expect(locks.filter((s) => s > 0)).toHaveLength(12);
    expect(pinLockSeconds(5_000_000)).toBe(3600);
  });
});
