import { useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';
import { useSync } from '../sync-store.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';

export function Welcome() {
  const t = useT();
  const loadDemo = useKiosk((s) => s.loadDemo);
  const openSyncDialog = useSync((s) => s.openDialog);
  return (
    <main className="welcome">
      <LanguageSwitch />
      <h1>{t('welcome.heading')}</h1>
      <p>{t('welcome.body')}</p>
      <button type="button" className="primary" data-testid="load-demo" onClick={() => void loadDemo()}>
        {t('welcome.loadDemo')}
      </button>{' '}
      <button type="button" data-testid="welcome-connect" onClick={() => openSyncDialog(true)}>
        {t('pair.heading')}
      </button>
    </main>
  );
}
