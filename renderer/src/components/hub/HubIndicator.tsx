import { useEffect } from 'react';
import type { DiskSpace } from '../../../../shared/disk-space.ts';
import type { HubIndicator as HubSign } from '../../../../shared/hub/status.ts';
import { api } from '../../api/client.ts';
import { useT } from '../../i18n.ts';
import { useKiosk } from '../../store.ts';

/** How often the door looks whether the hub went on or off, moved, or gained a door. */
const POLL_MS = 3_000;

function sameSign(a: HubSign, b: HubSign): boolean {
  return a.on === b.on && a.url === b.url && a.doors === b.doors;
}

function sameDisk(a: DiskSpace | null, b: DiskSpace | null): boolean {
  return a === b || (a !== null && b !== null && a.low === b.low && Math.abs(a.freeMb - b.freeMb) < 10);
}

/**
 * Keeps the hub's part of the app status fresh, and the free disk space (DiskIndicator). `app.status` needs
 * no sign-in (`hub.status` does, and would pop the sign-in prompt); the rest of the status is replaced
 * only when one of those changed (the disk by 10 MB or more), so the screens do not redraw every few seconds.
 */
function useHubSignPolling(): void {
  useEffect(() => {
    let live = true;
    const timer = window.setInterval(() => {
      void api['app.status']({}).then((result) => {
        const current = useKiosk.getState().status;
        if (!live || !result.ok || current === null) return;
        const { hub, disk } = result.value;
        if (sameSign(current.hub, hub) && sameDisk(current.disk, disk)) return;
        useKiosk.setState({ status: { ...current, hub, disk } });
      });
    }, POLL_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, []);
}

/**
 * The door's sign that this laptop is the venue hub and listens on the LAN: its address and how many doors
 * it has, always visible while it is on (top bar, and the sign-in screen). Clicking opens Settings, where
 * the hub panel is (after a sign-in, as usual). Never on the guests' self-service screen.
 */
export function HubIndicator() {
  const t = useT();
  const hub = useKiosk((s) => s.status?.hub ?? null);
  const setView = useKiosk((s) => s.setView);
  useHubSignPolling();
  if (hub === null || !hub.on) return null;
  const address = hub.url.replace(/^https?:\/\//, '');
  return (
    <button
      type="button"
      className="hub-indicator"
      data-testid="hub-indicator"
      data-doors={hub.doors}
      title={t('hub.indicatorTitle')}
      onClick={() => setView('settings')}
    >
      <span className="sync-dot" aria-hidden="true" />
      {t(hub.doors === 1 ? 'hub.indicatorOneDoor' : 'hub.indicator', { address, count: hub.doors })}
    </button>
  );
}
