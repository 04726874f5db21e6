import type { ImportSummary } from '../../../shared/roster/contract-types.ts';
import { useT } from '../i18n.ts';

/** What an import or its check did: counts per list, who a complete list removes, every row error. */
export function RosterImportSummary({ summary }: { summary: ImportSummary }) {
  const t = useT();
  const hidden = summary.removed - summary.removedGuests.length;
  return (
    <div
      className="import-summary"
      data-testid="roster-summary"
      data-applied={summary.applied}
      data-removed={summary.removed}
    >
      <p>
        <strong>{summary.applied ? t('roster.applied') : t('roster.notApplied')}</strong>{' '}
        {t(summary.replace ? 'roster.intoCompleteList' : 'roster.intoList', { list: summary.list })}{' '}
        {t('roster.summary', {
          added: summary.added,
          updated: summary.updated,
          unchanged: summary.unchanged,
          removed: summary.removed,
        })}
      </p>
      {summary.removed > 0 && (
        <div className="removals" data-testid="roster-removals">
          <p className={summary.applied ? '' : 'warn'}>
            {t(summary.applied ? 'roster.removedNow' : 'roster.wouldRemove', { count: summary.removed })}
          </p>
          <ul>
            {summary.removedGuests.map((g) => (
              <li key={g.id}>
                {g.name}
                {g.organization && <span className="muted"> · {g.organization}</span>}
              </li>
            ))}
            {hidden > 0 && <li>{t('roster.moreRemoved', { count: hidden })}</li>}
          </ul>
        </div>
      )}
      {summary.leftList > 0 && <p className="muted">{t('roster.leftList', { count: summary.leftList })}</p>}
      {summary.errors.length > 0 && (
        <>
          <p className="bad">{t('roster.errorsHeading', { count: summary.errors.length })}</p>
          <table className="errors" data-testid="roster-errors">
            <thead>
              <tr>
                <th>{t('roster.row')}</th>
                <th>{t('roster.column')}</th>
                <th>{t('roster.problem')}</th>
              </tr>
            </thead>
            <tbody>
              {summary.errors.map((e, i) => (
                <tr key={i} data-code={e.code}>
                  <td>{e.row}</td>
                  <td>{e.column}</td>
                  <td>
                    <strong>{t(`rowError.${e.code}`)}</strong> · {e.message}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
