import { randomUUID } from 'node:crypto';
import type { FactOf } from '../../shared/sync/fact-schema.ts';

/** `n` check-in facts of one device from sequence `from` on, a millisecond apart. */
export function checkInFacts(
  deviceId: string,
  from: number,
  n: number,
  id: () => string = randomUUID,
): Array<FactOf<'check_in'>> {
  return Array.from({ length: n }, (_, i) => ({
    id: id(),
    deviceId,
    deviceSeq: from + i,
    type: 'check_in' as const,
    guestId: `g${from + i}`,
    hlc: `${String(1_790_000_000_000 + from + i).padStart(15, '0')}-00000-${deviceId}`,
    wallMs: 1_790_000_000_000 + from + i,
    actor: 'staff',
    payload: { door: 'North', method: 'scan', code: `c${from + i}` },
  }));
}
