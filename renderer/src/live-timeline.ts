import { useEffect, useState, type RefObject } from 'react';
import type { Timeline } from '../../shared/projection/timeline.ts';
import { api } from './api/client.ts';

/** How often the supervisor view asks for the live pictures while it is on screen. */
export const LIVE_REFRESH_MS = 5000;

/**
 * The event's timeline (arrivals, scans per desk), asked for every few seconds while the view that uses
 * it is mounted and the window is visible: a hidden window (minimised, another tab) asks nothing and
 * catches up at once when it shows again. One request at a time; a failed one keeps the last pictures.
 */
export function useLiveTimeline(bucketSeconds: number): Timeline | null {
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  useEffect(() => {
    let timer: number | undefined;
    let inFlight = false;
    let stopped = false;
    const load = async () => {
      if (inFlight || stopped || document.visibilityState === 'hidden') return;
      inFlight = true;
      try {
        const r = await api['stats.timeline']({ bucketSeconds });
        if (r.ok && !stopped) setTimeline(r.value);
      } finally {
        inFlight = false;
      }
    };
    const schedule = () => {
      window.clearInterval(timer);
      timer =
        document.visibilityState === 'hidden' ? undefined : window.setInterval(() => void load(), LIVE_REFRESH_MS);
    };
    const onVisibility = () => {
      schedule();
      void load();
    };
    document.addEventListener('visibilitychange', onVisibility);
    schedule();
    void load();
    return () => {
      stopped = true;
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [bucketSeconds]);
  return timeline;
}

/**
 * An element's content width in CSS pixels, followed as it changes: the charts lay themselves out at the
 * width they are shown at instead of stretching a fixed drawing (which would stretch its text too).
 */
export function useWidth(ref: RefObject<HTMLElement | null>, fallback: number): number {
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const node = ref.current;
    if (node === null) return;
    const measure = () => {
      const w = Math.round(node.clientWidth);
      if (w > 0) setWidth(w);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(node);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
