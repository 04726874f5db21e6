import { useEffect, useState } from 'react';
import type { Guest } from '../../../shared/domain.ts';
import type { LanyardError } from '../../../shared/result.ts';
import { useForums } from '../forum-store.ts';
import { useForumName, useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';
import { ErrorNote } from './ErrorNote.tsx';

/**
 * At the door after check-in: the guest's forum and room, or a choice of forums with live seats.
 * A full forum is refused; a supervisor can then assign with a reason (audited in the event).
 */
export function ForumPicker({ guest }: { guest: Guest }) {
  const t = useT();
  const forumName = useForumName();
  const forums = useKiosk((s) => s.status?.event?.forums ?? []);
  const seats = useForums((s) => s.seats);
  const assign = useForums((s) => s.assign);
  const refreshSeats = useForums((s) => s.refreshSeats);
  const [choosing, setChoosing] = useState(guest.forumId === null);
  const [refused, setRefused] = useState<{ forumId: string; error: LanyardError } | null>(null);
  const [reason, setReason] = useState('');

  useEffect(() => {
    void refreshSeats();
  }, [refreshSeats, guest.id]);
  useEffect(() => {
    setChoosing(guest.forumId === null);
    setRefused(null);
  }, [guest.id, guest.forumId]);

  if (forums.length === 0) return null;
  const current = forums.find((f) => f.id === guest.forumId);
  const pick = async (forumId: string, overrideReason: string) => {
    const r = await assign(guest.id, forumId, overrideReason);
    if ('error' in r) {
      setRefused({ forumId, error: r.error });
      return;
    }
    setRefused(null);
    setReason('');
    setChoosing(false);
  };

  if (!choosing && current) {
    return (
      <div className="forum-picker" data-testid="forum-assigned" data-forum-id={current.id}>
        <span className="forum-dot" style={{ background: current.colour }} />
        {t('forum.assigned', { name: forumName(current), room: current.room })}
        <button type="button" className="quiet" data-testid="forum-change" onClick={() => setChoosing(true)}>
          {t('forum.change')}
        </button>
      </div>
    );
  }
  const preferred = guest.forumPreferences.map((id) => forums.find((f) => f.id === id)).filter((f) => f !== undefined);
  return (
    <div className="forum-picker choosing" data-testid="forum-picker">
      <strong>{t('forum.choose')}</strong>
      {preferred.length > 0 && (
        <span className="prefs">{t('forum.preferences', { list: preferred.map(forumName).join(' › ') })}</span>
      )}
      <div className="forum-options">
        {forums.map((f) => {
          const s = seats.find((x) => x.forumId === f.id);
          const full = s !== undefined && s.assigned >= s.capacity;
          return (
            <button
              key={f.id}
              type="button"
              className={`forum-option${full ? ' full' : ''}${f.id === guest.forumId ? ' current' : ''}`}
              data-testid={`forum-option-${f.id}`}
              style={{ borderColor: f.colour }}
              onClick={() => void pick(f.id, '')}
            >
              <span className="forum-name">{forumName(f)}</span>
              <span className="forum-room">{f.room}</span>
              <span className="forum-seats" data-testid={`forum-seats-${f.id}`}>
                {s ? t('forum.seats', { assigned: s.assigned, capacity: s.capacity }) : ''}{' '}
                {full ? t('forum.full') : ''}
              </span>
            </button>
          );
        })}
      </div>
      {refused && refused.error.code === 'forum_full' && (
        <form
          className="override"
          data-testid="forum-override"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim().length > 0) void pick(refused.forumId, reason);
          }}
        >
          <p className="bad" role="alert">
            {t('forum.fullRefused', { name: forumName(forums.find((f) => f.id === refused.forumId)!) })}
          </p>
          <input
            name="reason"
            placeholder={t('forum.overrideReason')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
          />
          <button type="submit" data-testid="forum-override-submit">
            {t('forum.override')}
          </button>
        </form>
      )}
      {refused && refused.error.code !== 'forum_full' && <ErrorNote error={refused.error} />}
    </div>
  );
}
