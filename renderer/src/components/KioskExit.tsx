import { useState } from 'react';
import { shell } from '../api/client.ts';
import { useT } from '../i18n.ts';

/** Only in the Electron shell: leaving full-screen kiosk mode needs the staff PIN (checked in main). */
export function KioskExit() {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [pin, setPin] = useState('');
  const [bad, setBad] = useState(false);
  if (shell === null) return null;
  if (!open) {
    return (
      <button type="button" className="quiet" onClick={() => setOpen(true)}>
        {t('kiosk.exit')}
      </button>
    );
  }
  return (
    <form
      className="kiosk-exit"
      onSubmit={(e) => {
        e.preventDefault();
        void shell?.exitKiosk(pin).then((r) => {
          setBad(!r.ok);
          if (r.ok) setOpen(false);
          setPin('');
        });
      }}
    >
      <input
        type="password"
        inputMode="numeric"
        aria-label={t('kiosk.pin')}
        value={pin}
        onChange={(e) => setPin(e.target.value)}
        autoFocus
      />
      {bad && <span className="bad">{t('kiosk.badPin')}</span>}
    </form>
  );
}
