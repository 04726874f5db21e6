import { useState } from 'react';
import { useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';
import { useSync } from '../sync-store.ts';
import { EventForm } from './EventForm.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { SetupFromFile } from './lifecycle/SetupFromFile.tsx';

export function Welcome() {
  const t = useT();
  const loadDemo = useKiosk((s) => s.loadDemo);
  const openSyncDialog = useSync((s) => s.openDialog);
  const [creating, setCreating] = useState(false);
  const [fromFile, setFromFile] = useState(false);
  return (
    <main className={creating ? 'welcome wide' : 'welcome'}>
      <LanguageSwitch />
      <h1>{t('welcome.heading')}</h1>
      {creating ? (
        // On success the status refresh shows the door screen of the new event.
        <EventForm onDone={() => setCreating(false)} onCancel={() => setCreating(false)} />
      ) : (
        <>
          <p>{t('welcome.body')}</p>
          <button type="button" className="primary" data-testid="create-event" onClick={() => setCreating(true)}>
            {t('welcome.createEvent')}
          </button>{' '}
          <button type="button" data-testid="load-demo" onClick={() => void loadDemo()}>
            {t('welcome.loadDemo')}
          </button>{' '}
          <button type="button" data-testid="welcome-connect" onClick={() => openSyncDialog(true)}>
            {t('pair.heading')}
          </button>{' '}
          <button type="button" data-testid="welcome-setup-file" onClick={() => setFromFile(true)}>
            {t('welcome.setupFromFile')}
          </button>
        </>
      )}
      {fromFile && <SetupFromFile onClose={() => setFromFile(false)} />}
    </main>
  );
}
