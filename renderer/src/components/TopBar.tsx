import { useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';
import { DoorSettings } from './DoorSettings.tsx';
import { KioskExit } from './KioskExit.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { StaffBar } from './staff/StaffBar.tsx';
import { SyncIndicator } from './SyncIndicator.tsx';

export function TopBar() {
  const t = useT();
  const status = useKiosk((s) => s.status);
  const stats = useKiosk((s) => s.stats);
  const locale = useKiosk((s) => s.locale);
  const view = useKiosk((s) => s.view);
  const setView = useKiosk((s) => s.setView);
  const event = status?.event;
  if (!event) return null;
  const name = locale === 'zh-CN' ? event.name.zh : locale === 'de' ? event.name.de : event.name.en;
  return (
    <header className="topbar">
      <div className="event">
        <strong title={name}>{name}</strong>
        <DoorSettings />
      </div>
      {stats && (
        <div className="stats" data-testid="stats">
          <span>{t('stats.checkedIn', { checkedIn: stats.checkedIn, guests: stats.guests })}</span>
          <span>{t('stats.walkIns', { walkIns: stats.walkIns })}</span>
        </div>
      )}
      <StaffBar />
      <SyncIndicator />
      <nav className="lang" aria-label="views">
        <button type="button" aria-pressed={view === 'door'} data-testid="nav-door" onClick={() => setView('door')}>
          {t('nav.door')}
        </button>
        <button
          type="button"
          aria-pressed={view === 'forums'}
          data-testid="nav-forums"
          onClick={() => setView('forums')}
        >
          {t('nav.forums')}
        </button>
        <button
          type="button"
          aria-pressed={view === 'roster'}
          data-testid="nav-roster"
          onClick={() => setView('roster')}
        >
          {t('nav.roster')}
        </button>
        <button type="button" aria-pressed={view === 'staff'} data-testid="nav-staff" onClick={() => setView('staff')}>
          {t('staff.heading')}
        </button>
        <button
          type="button"
          aria-pressed={view === 'settings'}
          data-testid="nav-settings"
          onClick={() => setView('settings')}
        >
          {t('nav.settings')}
        </button>
      </nav>
      <LanguageSwitch />
      <KioskExit />
    </header>
  );
}
