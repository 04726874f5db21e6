import { useEffect, useState } from 'react';
import { useStaff } from '../../staff-store.ts';

/** Re-renders every second while `active`, returning performance.now(). */
function useTick(active: boolean): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

const left = (seconds: number, readAt: number, now: number) => Math.max(0, Math.ceil(seconds - (now - readAt) / 1000));

/** Seconds until PIN entry opens again, counted down on screen from the core's answer. */
export function usePinLockSeconds(): number {
  const session = useStaff((s) => s.session);
  const readAt = useStaff((s) => s.readAt);
  const seconds = session?.pinLockSeconds ?? 0;
  const now = useTick(seconds > 0);
  return left(seconds, readAt, Math.max(now, readAt));
}

/** Seconds the supervisor's approval still lasts (0 = none). */
export function useApprovalSeconds(): number {
  const session = useStaff((s) => s.session);
  const readAt = useStaff((s) => s.readAt);
  const seconds = session?.elevated?.secondsLeft ?? 0;
  const now = useTick(seconds > 0);
  return left(seconds, readAt, Math.max(now, readAt));
}
