import { useState } from 'react';
import type { LanyardError } from '../../../../shared/result.ts';
import { useT } from '../../i18n.ts';
import { ErrorNote } from '../ErrorNote.tsx';
import { useStaff } from '../../staff-store.ts';
import { usePinLockSeconds } from './use-countdown.ts';

/** Shown when the core refused an action for door staff: a supervisor types their PIN, the action runs. */
export function SupervisorPrompt() {
  const t = useT();
  const waiting = useStaff((s) => s.waiting.length);
  const approve = useStaff((s) => s.approve);
  const cancel = useStaff((s) => s.cancelPrompt);
  const lockSeconds = usePinLockSeconds();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<LanyardError | null>(null);
  if (waiting === 0) return null;
  const close = () => {
    setPin('');
    setError(null);
    cancel();
  };
  return (
    <div className="dialog-backdrop">
      <form
        className="dialog supervisor-prompt"
        data-testid="supervisor-prompt"
        onKeyDown={(e) => {
          if (e.key === 'Escape') close();
        }}
        onSubmit={(e) => {
          e.preventDefault();
          void approve(pin).then((failure) => {
            setError(failure);
            setPin('');
          });
        }}
      >
        <h2>{t('staff.promptHeading')}</h2>
        <p>{t('staff.promptBody')}</p>
        <label>
          {t('kiosk.pin')}
          <input
            name="pin"
            data-testid="supervisor-pin"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            maxLength={12}
            autoFocus
            value={pin}
            onChange={(e) => setPin(e.target.value)}
          />
        </label>
        {lockSeconds > 0 ? (
          <p className="bad" role="alert" data-testid="pin-locked">
            {t('staff.pinLockedFor', { seconds: lockSeconds })}
          </p>
        ) : (
          error && <ErrorNote error={error} testId="supervisor-error" />
        )}
        <div className="actions">
          <button type="button" onClick={close}>
            {t('staff.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="supervisor-approve" disabled={lockSeconds > 0}>
            {t('staff.approve')}
          </button>
        </div>
      </form>
    </div>
  );
}
