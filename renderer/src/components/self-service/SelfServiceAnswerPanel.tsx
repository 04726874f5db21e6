import { useEffect } from 'react';
import { useT } from '../../i18n.ts';
import { useSelfService, type ShownAnswer } from '../../self-service-store.ts';
import { playFor } from '../../sounds.ts';
import { SelfServiceBadge } from './SelfServiceBadge.tsx';

/** How long an answer stays before the screen is ready for the next guest. */
const WELCOME_SECONDS = 15;
const SEE_STAFF_SECONDS = 10;

/**
 * The answer a guest reads: green "Welcome" with their badge, or "Please see the staff desk" — the same
 * for an amber, a red and a not-found, so nothing tells why. Goes back to the scan prompt by itself.
 */
export function SelfServiceAnswerPanel({ answer }: { answer: ShownAnswer }) {
  const t = useT();
  const dismiss = useSelfService((s) => s.dismiss);
  // The door's sounds: green's for a welcome, amber's (not red's) for "see the staff desk".
  useEffect(() => {
    playFor(answer.outcome === 'welcome' ? 'checked_in' : 'already_checked_in', false);
  }, [answer.id, answer.outcome]);
  useEffect(() => {
    const seconds = answer.outcome === 'welcome' ? WELCOME_SECONDS : SEE_STAFF_SECONDS;
    const timer = window.setTimeout(dismiss, seconds * 1000);
    return () => window.clearTimeout(timer);
  }, [answer, dismiss]);

  const welcome = answer.outcome === 'welcome';
  return (
    <section
      className={`self-answer ${welcome ? 'welcome' : 'see-staff'}`}
      data-testid="self-answer"
      data-outcome={answer.outcome}
      data-answer-id={answer.id}
      role="status"
    >
      {welcome ? (
        <>
          <h1 data-testid="self-welcome">{t('selfService.welcome', { name: answer.name })}</h1>
          {answer.print && <p className="self-lead">{t('selfService.printing')}</p>}
          {answer.alsoSeeStaff && <p className="self-lead">{t('selfService.alsoSeeStaff')}</p>}
          {answer.badge && <SelfServiceBadge key={answer.id} badge={answer.badge} print={answer.print} />}
        </>
      ) : (
        <>
          <h1 data-testid="self-see-staff">{t('selfService.seeStaff')}</h1>
          <p className="self-lead">{t('selfService.seeStaffBody')}</p>
        </>
      )}
      <button type="button" className="self-big primary" data-testid="self-done" onClick={dismiss}>
        {t('selfService.done')}
      </button>
    </section>
  );
}
