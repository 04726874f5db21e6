import type { Duplicate, ForumConflict } from '../../../shared/sync/status.ts';
import { useForumName, useT, useTimeFormat } from '../i18n.ts';
import { useKiosk } from '../store.ts';
import { useSync } from '../sync-store.ts';

type Assignment = ForumConflict['winner'];

/** "this kiosk" for our own device id, the id otherwise. */
function useDeviceLabel(): (deviceId: string) => string {
  const t = useT();
  const own = useKiosk((s) => s.status?.device?.id ?? '');
  return (deviceId) => (deviceId === own ? t('conflicts.thisKiosk') : deviceId);
}

function ReviewButton({ kind, guestId }: { kind: 'duplicate' | 'forum'; guestId: string }) {
  const t = useT();
  const markReviewed = useSync((s) => s.markReviewed);
  return (
    <button
      type="button"
      data-testid={`mark-reviewed-${kind}-${guestId}`}
      onClick={() => void markReviewed(kind, guestId)}
    >
      {t('conflicts.markReviewed')}
    </button>
  );
}

/** One badge admitted at two (or more) doors: every check-in, the earliest marked as the arrival. */
export function DuplicateItem({ item }: { item: Duplicate }) {
  const t = useT();
  const time = useTimeFormat();
  const device = useDeviceLabel();
  return (
    <li
      className={`conflict${item.reviewed ? ' reviewed' : ''}`}
      data-testid={`conflict-duplicate-${item.guestId}`}
      data-reviewed={item.reviewed}
    >
      <div className="conflict-head">
        <strong>{item.name}</strong>
        {item.organization !== '' && <span className="org">{item.organization}</span>}
        {!item.reviewed && <ReviewButton kind="duplicate" guestId={item.guestId} />}
      </div>
      <table>
        <thead>
          <tr>
            <th />
            <th>{t('conflicts.time')}</th>
            <th>{t('conflicts.door')}</th>
            <th>{t('conflicts.device')}</th>
          </tr>
        </thead>
        <tbody>
          {item.checkins.map((c, i) => (
            <tr key={c.id} data-testid="duplicate-checkin" data-arrival={i === 0} className={i === 0 ? 'arrival' : ''}>
              <td>{i === 0 ? t('conflicts.arrival') : t('conflicts.again')}</td>
              <td>{time(c.at)}</td>
              <td>{c.door}</td>
              <td>{device(c.deviceId)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </li>
  );
}

function AssignmentRow({ a, winner }: { a: Assignment; winner: boolean }) {
  const t = useT();
  const time = useTimeFormat();
  const device = useDeviceLabel();
  const forumName = useForumName();
  const forums = useKiosk((s) => s.status?.event?.forums ?? []);
  const forum = forums.find((f) => f.id === a.forumId);
  const name = a.forumId === '' ? t('conflicts.noForum') : forum ? `${forumName(forum)} · ${forum.room}` : a.forumId;
  return (
    <tr
      data-testid={winner ? 'forum-winner' : 'forum-loser'}
      data-forum-id={a.forumId}
      className={winner ? 'winner' : 'loser'}
    >
      <td>{winner ? t('conflicts.winner') : t('conflicts.loser')}</td>
      <td>
        {forum && <span className="forum-dot" style={{ background: forum.colour }} />}
        {name}
      </td>
      <td>{time(a.at)}</td>
      <td>{a.door}</td>
      <td>{device(a.deviceId)}</td>
    </tr>
  );
}

/** Concurrent sub-forum assignments of one guest: the one kept and those it overrode. */
export function ForumConflictItem({ item }: { item: ForumConflict }) {
  const t = useT();
  return (
    <li
      className={`conflict${item.reviewed ? ' reviewed' : ''}`}
      data-testid={`conflict-forum-${item.guestId}`}
      data-reviewed={item.reviewed}
    >
      <div className="conflict-head">
        <strong>{item.name}</strong>
        {!item.reviewed && <ReviewButton kind="forum" guestId={item.guestId} />}
      </div>
      <table>
        <thead>
          <tr>
            <th />
            <th>{t('dash.forum')}</th>
            <th>{t('conflicts.time')}</th>
            <th>{t('conflicts.door')}</th>
            <th>{t('conflicts.device')}</th>
          </tr>
        </thead>
        <tbody>
          <AssignmentRow a={item.winner} winner />
          {item.losers.map((l) => (
            <AssignmentRow key={l.factId} a={l} winner={false} />
          ))}
        </tbody>
      </table>
    </li>
  );
}
