import { useEffect, useState } from 'react';
import { useT } from './i18n.ts';
import { useKiosk } from './store.ts';

/** The wall clock, re-read every second while `active` (an answer on screen that has not faded yet). */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    if (!active) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [active]);
  return now;
}

/**
 * How old an answer is ("12 s ago", translated) and whether it has faded to neutral: after the
 * configurable fade time a green can no longer be mistaken for the answer to the guest now at the door.
 */
export function useAnswerAge(at: number | null): { label: string; faded: boolean; seconds: number } {
  const t = useT();
  const fadeSeconds = useKiosk((s) => s.bannerFadeSeconds);
  const [expired, setExpired] = useState(false);
  useEffect(() => {
    setExpired(false);
    if (at === null) return;
    const timer = window.setTimeout(() => setExpired(true), Math.max(0, at + fadeSeconds * 1000 - Date.now()));
    return () => window.clearTimeout(timer);
  }, [at, fadeSeconds]);
  const now = useNow(at !== null && !expired);
  const seconds = at === null ? 0 : Math.max(0, Math.floor((Math.max(now, Date.now()) - at) / 1000));
  const label =
    seconds < 60 ? t('result.secondsAgo', { seconds }) : t('result.minutesAgo', { minutes: Math.floor(seconds / 60) });
  return { label, faded: expired, seconds };
}
