import { useState } from 'react';
import type { LanyardError } from '../../../../shared/result.ts';
import { useEscape } from '../../escape.ts';
import { useErrorText, useT } from '../../i18n.ts';
import { useSelfService } from '../../self-service-store.ts';

/** Leaving self-service: a supervisor types their PIN (the core checks it, counts wrong ones, signs them in). */
export function SelfServiceExit({ onClose }: { onClose: () => void }) {
  const t = useT();
  const errorText = useErrorText();
  const stop = useSelfService((s) => s.stop);
  const pinLockSeconds = useSelfService((s) => s.pinLockSeconds);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<LanyardError | null>(null);
  useEscape(onClose);
  return (
    <div className="dialog-backdrop">
      <form
        className="dialog self-exit"
        data-testid="self-exit"
        role="dialog"
        aria-label={t('selfService.exitHeading')}
        onSubmit={(e) => {
          e.preventDefault();
          void stop(pin).then((refused) => {
            setError(refused);
            setPin('');
          });
        }}
      >
        <h2>{t('selfService.exitHeading')}</h2>
        <p>{t('selfService.exitBody')}</p>
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          aria-label={t('kiosk.pin')}
          data-testid="self-exit-pin"
          value={pin}
          maxLength={12}
          onChange={(e) => setPin(e.target.value)}
          autoFocus
        />
        {error && (
          <p className="bad" role="alert" data-testid="self-exit-error" data-code={error.code}>
            {error.code === 'bad_pin'
              ? t('kiosk.badPin')
              : error.code === 'pin_locked'
                ? t('staff.pinLockedFor', { seconds: pinLockSeconds })
                : errorText(error)}
          </p>
        )}
        <div className="actions">
          <button type="button" data-testid="self-exit-cancel" onClick={onClose}>
            {t('selfService.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="self-exit-submit" disabled={pin === ''}>
            {t('selfService.exit')}
          </button>
        </div>
      </form>
    </div>
  );
}
