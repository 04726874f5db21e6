import { useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';

export function SearchResults() {
  const t = useT();
  const query = useKiosk((s) => s.query);
  const results = useKiosk((s) => s.results);
  const selected = useKiosk((s) => s.selected);
  const checkIn = useKiosk((s) => s.checkIn);
  if (query.trim().length === 0) return null;
  if (results.length === 0) return <p className="no-results">{t('door.noResults', { query })}</p>;
  return (
    <ul className="results" data-testid="results">
      {results.map((g, i) => (
        <li key={g.id} className={i === selected ? 'selected' : ''} data-testid="result" data-guest-id={g.id}>
          <button type="button" onClick={() => void checkIn(g.id, performance.now())}>
            <span className="name">{g.name}</span>
            <span className="latin">{g.latinName}</span>
            <span className="org">{g.organization}</span>
            <span className={`role role-${g.role}`}>{t(`role.${g.role}`)}</span>
            {g.checkedIn && <span className="in">{t('door.checkedInBadge')}</span>}
            {g.status !== 'active' && (
              <span className="status" data-status={g.status}>
                {t(`guestStatus.${g.status}`)}
              </span>
            )}
          </button>
        </li>
      ))}
    </ul>
  );
}
