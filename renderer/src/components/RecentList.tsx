import { useDoorName, useT, useTimeFormat } from '../i18n.ts';
import { useKiosk } from '../store.ts';

export function RecentList() {
  const t = useT();
  const time = useTimeFormat();
  const doorName = useDoorName();
  const recent = useKiosk((s) => s.recent);
  const undo = useKiosk((s) => s.undo);
  return (
    <section className="recent">
      <h3>{t('door.recent')}</h3>
      <ul data-testid="recent">
        {recent.map(({ checkin, guest }) => (
          <li
            key={checkin.id}
            className={checkin.voided ? 'voided' : ''}
            data-testid="recent-item"
            data-guest-id={guest.id}
          >
            <span className="time">{time(checkin.at)}</span>
            <span className="who">
              <span className="name">{guest.name}</span>
              {/* Organisation and door: two guests of one name (韩芳, 韩芳) are told apart at a glance. */}
              <span className="org" data-testid="recent-org">
                {guest.organization}
              </span>
              <span className="door-name" data-testid="recent-door">
                {doorName(checkin.door)}
              </span>
            </span>
            {!checkin.voided && (
              <button type="button" className="quiet" data-testid="undo" onClick={() => void undo(checkin.id)}>
                {t('door.undo')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
