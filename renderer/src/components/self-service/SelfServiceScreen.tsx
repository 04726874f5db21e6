import { useCallback, useEffect, useState } from 'react';
import { useT } from '../../i18n.ts';
import { useSelfService } from '../../self-service-store.ts';
import { useKiosk } from '../../store.ts';
import { LanguageSwitch } from '../LanguageSwitch.tsx';
import { FindMeForm } from './FindMeForm.tsx';
import { SelfServiceAnswerPanel } from './SelfServiceAnswerPanel.tsx';
import { SelfServiceExit } from './SelfServiceExit.tsx';
import './self-service.css';

/**
 * The guests' screen of a kiosk in self-service: "Scan your badge" in big type, finding oneself by name
 * and a second fact, and the answer. A scanner's burst is a scan wherever focus is (the app's scan
 * capture sends it to selfService.scan). The corner button is the staff's way out, by supervisor PIN.
 */
export function SelfServiceScreen() {
  const t = useT();
  const locale = useKiosk((s) => s.locale);
  const event = useKiosk((s) => s.status?.event);
  const answer = useSelfService((s) => s.answer);
  const dismiss = useSelfService((s) => s.dismiss);
  const [findMe, setFindMe] = useState(false);
  const [exit, setExit] = useState(false);
  const closeFindMe = useCallback(() => setFindMe(false), []);
  // An answer ends a lookup in progress: after it, the next guest finds the scan prompt.
  useEffect(() => {
    if (answer !== null) setFindMe(false);
  }, [answer]);
  const eventName = event ? (locale === 'zh-CN' ? event.name.zh : locale === 'de' ? event.name.de : event.name.en) : '';
  return (
    <div className="self-service" data-testid="self-service">
      <header className="self-top">
        <strong className="self-event">{eventName}</strong>
        <LanguageSwitch />
      </header>
      <main className="self-main">
        {answer !== null ? (
          <SelfServiceAnswerPanel answer={answer} />
        ) : findMe ? (
          <FindMeForm onClose={closeFindMe} />
        ) : (
          <section className="self-prompt">
            <div className="self-scanner" aria-hidden="true">
              <svg viewBox="0 0 64 64" width="100%" height="100%">
                <path
                  d="M4 18V4h14M46 4h14v14M60 46v14H46M18 60H4V46"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="5"
                />
                <path d="M14 32h36" stroke="currentColor" strokeWidth="4" />
              </svg>
            </div>
            <h1 data-testid="self-heading">{t('selfService.scanHeading')}</h1>
            <p className="self-lead">{t('selfService.scanHint')}</p>
            <button
              type="button"
              className="self-big"
              data-testid="self-find-me"
              onClick={() => {
                dismiss(); // a refusal of an earlier lookup is not this guest's
                setFindMe(true);
              }}
            >
              {t('selfService.noBadge')}
            </button>
          </section>
        )}
      </main>
      <button type="button" className="self-staff quiet" data-testid="self-staff" onClick={() => setExit(true)}>
        {t('selfService.staff')}
      </button>
      {exit && <SelfServiceExit onClose={() => setExit(false)} />}
    </div>
  );
}
