import { useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';
import { ResultBanner } from './ResultBanner.tsx';

/**
 * A scan made while another view or a dialog is in front: its answer shows above everything, naming where
 * it was caught, and that view or dialog stays exactly as it was underneath (a half-typed walk-in, an
 * import preview). Nothing here takes the focus.
 */
export function ScanAnswerOverlay({ where }: { where: string }) {
  const t = useT();
  const view = useKiosk((s) => s.view);
  const setView = useKiosk((s) => s.setView);
  const dismiss = useKiosk((s) => s.dismissOverlay);
  return (
    <div className="scan-overlay" data-testid="scan-overlay">
      <p className="scan-where" data-testid="scan-where">
        {t('result.scannedIn', { view: where })}
      </p>
      <ResultBanner />
      <div className="actions">
        {view !== 'door' && (
          <button type="button" tabIndex={-1} data-testid="scan-overlay-door" onClick={() => setView('door')}>
            {t('result.backToDoor')}
          </button>
        )}
        <button type="button" tabIndex={-1} data-testid="scan-overlay-dismiss" onClick={dismiss}>
          {t('result.dismiss')}
        </button>
      </div>
    </div>
  );
}
