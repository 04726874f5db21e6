import { useEffect } from 'react';
import { useT, useTimeFormat } from '../i18n.ts';
import { useKiosk } from '../store.ts';
import { useSync } from '../sync-store.ts';
import { knownKey } from '../sync-text.ts';
import { DuplicateItem, ForumConflictItem } from './ConflictItems.tsx';

const REFRESH_MS = 5000;

/**
 * What sync found for staff to look at: badges admitted at two doors, concurrent sub-forum
 * changes, this kiosk's changes the server refused, and other doors' changes this kiosk could not apply
 * (parked). Open items first; reviewed ones dimmed below.
 */
export function ConflictsScreen() {
  const t = useT();
  const time = useTimeFormat();
  const conflicts = useSync((s) => s.conflicts);
  const load = useSync((s) => s.loadConflicts);
  const actionError = useSync((s) => s.actionError);
  const openCount = useSync((s) => s.status?.openConflicts ?? 0);
  const rejectedCount = useSync((s) => s.status?.rejected ?? 0);
  const parkedCount = useSync((s) => s.status?.parked ?? 0);
  const setView = useKiosk((s) => s.setView);

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [load, openCount, rejectedCount, parkedCount]);

  if (conflicts === null) return <section className="conflicts" data-testid="conflicts-screen" />;
  const openDuplicates = conflicts.duplicates.filter((d) => !d.reviewed);
  const openForums = conflicts.forumConflicts.filter((f) => !f.reviewed);
  const reviewedDuplicates = conflicts.duplicates.filter((d) => d.reviewed);
  const reviewedForums = conflicts.forumConflicts.filter((f) => f.reviewed);
  const reasonText = (reason: string) => {
    const key = knownKey('reject', reason);
    return key === null ? reason : t(key);
  };
  const typeText = (type: string) => {
    const key = knownKey('eventType', type);
    return key === null ? type : t(key);
  };

  return (
    <section className="conflicts" data-testid="conflicts-screen">
      <div className="conflicts-top">
        <h2>{t('conflicts.heading')}</h2>
        <button type="button" data-testid="conflicts-back" onClick={() => setView('door')}>
          {t('conflicts.back')}
        </button>
      </div>
      {actionError && (
        <p className="bad" role="alert">
          {actionError.message}
        </p>
      )}

      <h3>{t('conflicts.duplicates')}</h3>
      {openDuplicates.length === 0 ? (
        <p className="none" data-testid="duplicates-none">
          {t('conflicts.duplicatesNone')}
        </p>
      ) : (
        <ul className="conflict-list" data-testid="duplicates-open">
          {openDuplicates.map((d) => (
            <DuplicateItem key={d.guestId} item={d} />
          ))}
        </ul>
      )}

      <h3>{t('conflicts.forums')}</h3>
      {openForums.length === 0 ? (
        <p className="none" data-testid="forum-conflicts-none">
          {t('conflicts.forumsNone')}
        </p>
      ) : (
        <ul className="conflict-list" data-testid="forum-conflicts-open">
          {openForums.map((f) => (
            <ForumConflictItem key={f.guestId} item={f} />
          ))}
        </ul>
      )}

      <h3>{t('conflicts.rejected')}</h3>
      {conflicts.rejected.length === 0 ? (
        <p className="none" data-testid="rejected-none">
          {t('conflicts.rejectedNone')}
        </p>
      ) : (
        <table className="rejected" data-testid="rejected-list">
          <thead>
            <tr>
              <th>{t('conflicts.time')}</th>
              <th>{t('conflicts.type')}</th>
              <th>{t('conflicts.guest')}</th>
              <th>{t('conflicts.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {conflicts.rejected.map((r) => (
              <tr key={r.factId} data-testid={`conflict-rejected-${r.factId}`} data-reason={r.reason}>
                <td>{time(r.at)}</td>
                <td>{typeText(r.type)}</td>
                <td>{r.guestId}</td>
                <td>{reasonText(r.reason)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{t('conflicts.parked')}</h3>
      {conflicts.parked.length === 0 ? (
        <p className="none" data-testid="parked-none">
          {t('conflicts.parkedNone')}
        </p>
      ) : (
        <>
          <p className="hint">{t('conflicts.parkedHint')}</p>
          <table className="rejected" data-testid="parked-list">
            <thead>
              <tr>
                <th>{t('conflicts.time')}</th>
                <th>{t('conflicts.type')}</th>
                <th>{t('conflicts.device')}</th>
                <th>{t('conflicts.guest')}</th>
                <th>{t('conflicts.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {conflicts.parked.map((p, i) => (
                <tr
                  key={`${p.factId}-${p.reason}-${i}`}
                  data-testid={`conflict-parked-${p.factId}`}
                  data-reason={p.reason}
                  title={p.detail}
                >
                  <td>{time(p.at)}</td>
                  <td>{typeText(p.type)}</td>
                  <td>{p.deviceId}</td>
                  <td>{p.guestId}</td>
                  <td>{reasonText(p.reason)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      {reviewedDuplicates.length + reviewedForums.length > 0 && (
        <>
          <h3>{t('conflicts.reviewedHeading')}</h3>
          <ul className="conflict-list reviewed" data-testid="conflicts-reviewed">
            {reviewedDuplicates.map((d) => (
              <DuplicateItem key={`d-${d.guestId}`} item={d} />
            ))}
            {reviewedForums.map((f) => (
              <ForumConflictItem key={`f-${f.guestId}`} item={f} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
