import { useEffect, useState } from 'react';
import { useEscape } from '../../escape.ts';
import { useT } from '../../i18n.ts';
import { useSelfService } from '../../self-service-store.ts';

/** A guest who walks away mid-lookup: their name does not wait on the screen for the next guest. */
export const FIND_ME_IDLE_SECONDS = 45;

/**
 * Finding oneself without a badge: the whole name first, then a second fact (the phone's last 4 digits
 * or the email's first letters). Nothing about any guest is shown on the way: the core answers only when
 * both match exactly one guest, and checks that guest in.
 */
export function FindMeForm({ onClose }: { onClose: () => void }) {
  const t = useT();
  const findMe = useSelfService((s) => s.findMe);
  const error = useSelfService((s) => s.error);
  const lockSeconds = useSelfService((s) => s.lookupLockSeconds);
  const [name, setName] = useState('');
  const [fact, setFact] = useState('');
  const [step, setStep] = useState<'name' | 'fact'>('name');
  const [busy, setBusy] = useState(false);
  useEscape(onClose);
  // Every keystroke (a change of name, fact or step) starts the wait again.
  useEffect(() => {
    const timer = window.setTimeout(onClose, FIND_ME_IDLE_SECONDS * 1000);
    return () => window.clearTimeout(timer);
  }, [name, fact, step, onClose]);

  if (step === 'name') {
    return (
      <form
        className="self-form"
        data-testid="self-name-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim() !== '') setStep('fact');
        }}
      >
        <label htmlFor="self-name">{t('selfService.nameLabel')}</label>
        <input
          id="self-name"
          className="self-input"
          data-testid="self-name"
          autoComplete="off"
          value={name}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
          autoFocus
        />
        <div className="self-actions">
          <button type="button" className="self-big" data-testid="self-back" onClick={onClose}>
            {t('selfService.back')}
          </button>
          <button type="submit" className="self-big primary" data-testid="self-next" disabled={name.trim() === ''}>
            {t('selfService.next')}
          </button>
        </div>
      </form>
    );
  }
  return (
    <form
      className="self-form"
      data-testid="self-fact-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (fact.trim() === '' || busy) return;
        setBusy(true);
        void findMe(name, fact).then((found) => {
          setBusy(false);
          if (found) onClose();
        });
      }}
    >
      <h2>{t('selfService.factHeading')}</h2>
      <label htmlFor="self-fact">{t('selfService.factLabel')}</label>
      <input
        id="self-fact"
        className="self-input"
        data-testid="self-fact"
        autoComplete="off"
        value={fact}
        maxLength={100}
        onChange={(e) => setFact(e.target.value)}
        autoFocus
      />
      {error?.code === 'lookup_locked' && (
        <p className="self-error" role="alert" data-testid="self-locked">
          {t('selfService.lockedFor', { seconds: lockSeconds })}
        </p>
      )}
      <div className="self-actions">
        <button type="button" className="self-big" data-testid="self-back" onClick={() => setStep('name')}>
          {t('selfService.back')}
        </button>
        <button
          type="submit"
          className="self-big primary"
          data-testid="self-find"
          disabled={fact.trim() === '' || busy}
        >
          {t('selfService.findMe')}
        </button>
      </div>
    </form>
  );
}
