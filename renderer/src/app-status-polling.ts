import { useEffect } from 'react';
import type { DiskSpace } from '../../shared/disk-space.ts';
import type { HubIndicator } from '../../shared/hub/status.ts';
import { api } from './api/client.ts';
import { useKiosk } from './store.ts';

/** How often the screen looks whether the hub went on or off, moved or gained a door, and at the free disk. */
const POLL_MS = 3_000;

function sameHub(a: HubIndicator, b: HubIndicator): boolean {
  return a.on === b.on && a.url === b.url && a.doors === b.doors;
}

function sameDisk(a: DiskSpace | null, b: DiskSpace | null): boolean {
  return a === b || (a !== null && b !== null && a.low === b.low && Math.abs(a.freeMb - b.freeMb) < 10);
}

/**
 * Keeps the parts of the app status that change on their own fresh: the venue hub's sign (HubIndicator)
 * and the free disk space (DiskIndicator). `app.status` needs no sign-in (`hub.status` does, and would pop
 * the sign-in prompt). The status is replaced only when one of them changed (the disk by 10 MB or more,
 * or across the low line), so the screens do not redraw every few seconds. Called once, by App.
 */
export function useAppStatusPolling(): void {
  useEffect(() => {
    let live = true;
    const timer = window.setInterval(() => {
      void api['app.status']({}).then((result) => {
        const current = useKiosk.getState().status;
        if (!live || !result.ok || current === null) return;
        const { hub, disk } = result.value;
        if (sameHub(current.hub, hub) && sameDisk(current.disk, disk)) return;
        useKiosk.setState({ status: { ...current, hub, disk } });
      });
    }, POLL_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, []);
}
