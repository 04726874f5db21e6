import { useEffect, useState } from 'react';
import type { LanyardError } from '../../../../shared/result.ts';
import { useT } from '../../i18n.ts';
import { ErrorNote } from '../ErrorNote.tsx';
import { HubIndicator } from '../hub/HubIndicator.tsx';
import { useStaff } from '../../staff-store.ts';
import { LanguageSwitch } from '../LanguageSwitch.tsx';
import { usePinLockSeconds } from './use-countdown.ts';

/**
 * Name and PIN. As a dialog (switching staff) Escape closes it; as the door's first screen (staff exist,
 * nobody signed in) it stays. Typed slowly by a person: a scanner burst is the door's, not this form's.
 */
export function SignInForm({ asDialog }: { asDialog: boolean }) {
  const t = useT();
  const staff = useStaff((s) => s.staff);
  const loadStaff = useStaff((s) => s.loadStaff);
  const signIn = useStaff((s) => s.signIn);
  const close = useStaff((s) => s.openSignIn);
  const lockSeconds = usePinLockSeconds();
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<LanyardError | null>(null);
  useEffect(() => {
    void loadStaff();
  }, [loadStaff]);
  useEffect(() => {
    if (name === '' && staff.length > 0) setName(staff[0]!.name);
  }, [staff, name]);

  const form = (
    <form
      className="dialog sign-in"
      data-testid="sign-in-form"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && asDialog) close(false);
      }}
      onSubmit={(e) => {
        e.preventDefault();
        void signIn(name, pin).then((failure) => {
          setError(failure);
          setPin('');
        });
      }}
    >
      <h2>{t('staff.signInHeading')}</h2>
      <p>{t('staff.signInBody')}</p>
      <label>
        {t('staff.name')}
        <select name="name" data-testid="sign-in-name" value={name} autoFocus onChange={(e) => setName(e.target.value)}>
          {staff.map((m) => (
            <option key={m.id} value={m.name}>
              {m.name} · {t(`staff.role.${m.role}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('staff.pin')}
        <input
          name="pin"
          data-testid="sign-in-pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={12}
          value={pin}
          onChange={(e) => setPin(e.target.value)}
        />
      </label>
      {lockSeconds > 0 ? (
        <p className="bad" role="alert" data-testid="pin-locked">
          {t('staff.pinLockedFor', { seconds: lockSeconds })}
        </p>
      ) : (
        error && <ErrorNote error={error} testId="sign-in-error" />
      )}
      <div className="actions">
        {asDialog && (
          <button type="button" onClick={() => close(false)}>
            {t('staff.cancel')}
          </button>
        )}
        <button type="submit" className="primary" data-testid="sign-in-submit" disabled={lockSeconds > 0}>
          {t('staff.signIn')}
        </button>
      </div>
    </form>
  );
  if (asDialog) return <div className="dialog-backdrop">{form}</div>;
  return (
    <div className="sign-in-screen">
      <LanguageSwitch />
      {/* The hub listens on the LAN whoever is signed in: the door says so before anyone is. */}
      <HubIndicator />
      {form}
    </div>
  );
}
