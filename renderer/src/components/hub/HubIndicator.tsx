import { useT } from '../../i18n.ts';
import { useKiosk } from '../../store.ts';

/**
 * The door's sign that this laptop is the venue hub and listens on the LAN: its address and how many doors
 * it has, always visible while it is on (top bar, and the sign-in screen). Clicking opens Settings, where
 * the hub panel is (after a sign-in, as usual). Never on the guests' self-service screen.
 */
export function HubIndicator() {
  const t = useT();
  const hub = useKiosk((s) => s.status?.hub ?? null);
  const setView = useKiosk((s) => s.setView);
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
