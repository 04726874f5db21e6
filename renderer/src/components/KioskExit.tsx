import { useEffect, useState } from 'react';
import { shell } from '../api/client.ts';
import type { LanyardError } from '../../../shared/result.ts';
import { useErrorText, useT } from '../i18n.ts';
import { useStaff } from '../staff-store.ts';

/** Only in the Electron shell: leaving full-screen kiosk mode needs a supervisor's PIN (checked in main). */
export function KioskExit() {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<LanyardError | null>(null);
  const errorText = useErrorText();
  const refreshStaff = useStaff((s) => s.refresh);
  // Closing the window in kiosk mode is refused in main and lands here: the same PIN as the exit button.
  useEffect(() => shell?.onCloseRequested(() => setOpen(true)), []);
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
          setError(r.ok ? null : r.error);
          if (r.ok) setOpen(false);
          void refreshStaff();
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
      {error && <span className="bad">{error.code === 'bad_pin' ? t('kiosk.badPin') : errorText(error)}</span>}
    </form>
  );
}
