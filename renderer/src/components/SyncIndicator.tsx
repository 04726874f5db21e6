import { useRelativeTime, useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';
import { useSync } from '../sync-store.ts';
import { offsetText, syncErrorText } from '../sync-text.ts';
import { DiskIndicator } from './DiskIndicator.tsx';
import { HubIndicator } from './hub/HubIndicator.tsx';

/**
 * The door screen's sync line: always visible, never blocking. State, last successful sync,
 * events waiting to go up, a clock warning, and the open conflicts. Clicking it opens the Connect dialog.
 * At its end, while this laptop is the venue hub, the hub's sign (address, doors).
 */
export function SyncIndicator() {
  const t = useT();
  const ago = useRelativeTime();
  const status = useSync((s) => s.status);
  const openDialog = useSync((s) => s.openDialog);
  const setView = useKiosk((s) => s.setView);
  if (status === null) return null;
  const now = Date.now();
  const title =
    status.lastError === null ? undefined : t('pair.lastError', { reason: syncErrorText(t, status.lastError) });
  const showConflicts = status.paired || status.openConflicts > 0 || status.rejected > 0;
  return (
    <div className="sync-indicator">
      <button
        type="button"
        className={`sync-status sync-${status.state}`}
        data-testid="sync-status"
        data-state={status.state}
        title={title}
        onClick={() => openDialog(true)}
      >
        <span className="sync-dot" aria-hidden="true" />
        {t(`sync.state.${status.state}`)}
      </button>
      {status.paired && (
        <span className="sync-last" data-testid="sync-last">
          {status.lastSyncAt === null ? t('sync.never') : t('sync.last', { ago: ago(status.lastSyncAt, now) })}
        </span>
      )}
      {status.paired && status.pending > 0 && (
        <span
          className="sync-pending"
          data-testid="sync-pending"
          data-count={status.pending}
          title={t('sync.pendingTitle', { count: status.pending })}
        >
          {t('sync.pending', { count: status.pending })}
        </span>
      )}
      {status.clockWarning && (
        <span
          className="sync-clock-warning"
          data-testid="sync-clock-warning"
          role="status"
          title={t('sync.clockWarningTitle', { offset: offsetText(t, status.clockOffsetMs ?? 0) })}
        >
          ⚠ {t('sync.clockWarning', { offset: offsetText(t, status.clockOffsetMs ?? 0) })}
        </span>
      )}
      {showConflicts && (
        <button
          type="button"
          className={`conflicts-button${status.openConflicts > 0 ? ' has-open' : ''}`}
          data-testid="conflicts-button"
          data-count={status.openConflicts}
          title={t('sync.conflictsTitle', { count: status.openConflicts })}
          onClick={() => setView('conflicts')}
        >
          {t('sync.conflicts')}
          {status.openConflicts > 0 && <span className="count-badge">{status.openConflicts}</span>}
        </button>
      )}
      <DiskIndicator />
      <HubIndicator />
    </div>
  );
}
