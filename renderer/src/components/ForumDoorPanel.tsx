import { useEffect, useLayoutEffect, useRef } from 'react';
import { useForums } from '../forum-store.ts';
import { useForumName, useT } from '../i18n.ts';
import { playFor } from '../sounds.ts';
import { useAnswerAge } from '../answer-age.ts';
import { useKiosk } from '../store.ts';

/** Forum-door mode: this kiosk guards one room; scans count entries (and exits) into that room. */
export function ForumDoorPanel({ forumId }: { forumId: string }) {
  const t = useT();
  const forumName = useForumName();
  const forum = useKiosk((s) => s.status?.event?.forums.find((f) => f.id === forumId));
  const forums = useKiosk((s) => s.status?.event?.forums ?? []);
  const seats = useForums((s) => s.seats.find((x) => x.forumId === forumId));
  const { direction, answer, setDirection, refreshSeats, scan } = useForums();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void refreshSeats();
    const timer = window.setInterval(() => void refreshSeats(), 3000);
    return () => window.clearInterval(timer);
  }, [refreshSeats]);
  useLayoutEffect(() => {
    if (answer && ref.current) ref.current.dataset['latencyMs'] = (performance.now() - answer.startedAt).toFixed(1);
  }, [answer]);
  useEffect(() => {
    if (!answer) return;
    const s = answer.result.status;
    playFor(
      s === 'entered' || s === 'exited'
        ? 'checked_in'
        : s === 'unknown_code' || s === 'cancelled'
          ? 'unknown_code'
          : 'already_checked_in',
      answer.result.attention !== null,
    );
  }, [answer]);
  const age = useAnswerAge(answer?.at ?? null);

  if (!forum) return null;
  const r = answer?.result;
  const assigned = r?.assignedForumId ? forums.find((f) => f.id === r.assignedForumId) : undefined;
  const colour = !r
    ? ''
    : r.status === 'entered' || r.status === 'exited'
      ? 'green'
      : r.status === 'unknown_code' || r.status === 'cancelled'
        ? 'red'
        : 'amber';
  return (
    <section className="forum-door" data-testid="forum-door">
      <div className="forum-door-head" style={{ borderColor: forum.colour }}>
        <h2>{t('forum.roomDoor', { name: `${forumName(forum)} · ${forum.room}` })}</h2>
        <span className="count" data-testid="forum-inside">
          {t('forum.inside', { inside: seats?.inside ?? 0, capacity: forum.capacity })}
        </span>
        <div className="lang" role="group">
          {(['in', 'out'] as const).map((d) => (
            <button
              key={d}
              type="button"
              aria-pressed={direction === d}
              data-testid={`forum-direction-${d}`}
              onClick={() => setDirection(d)}
            >
              {t(d === 'in' ? 'forum.in' : 'forum.out')}
            </button>
          ))}
        </div>
      </div>
      {r && (
        <div
          key={answer.id}
          ref={ref}
          className={`banner ${colour}${age.faded ? ' faded' : ''}`}
          data-testid="forum-answer"
          data-status={r.status}
          data-faded={age.faded ? 'true' : 'false'}
          role="alert"
        >
          <h2>
            {t(`forumScan.${r.status}`)}
            {r.repeat === true && <span className="repeat"> · {t('result.repeat')}</span>}
            <span className="ago">{age.label}</span>
          </h2>
          {r.guest && (
            <p className="who">
              <span className="name">{r.guest.name}</span>
              {r.guest.organization && <span className="org">{r.guest.organization}</span>}
            </p>
          )}
          {r.notArrived && (
            <p className="attention-note" data-testid="forum-not-arrived">
              {t('forumScan.notArrived')}
            </p>
          )}
          {r.attention !== null && (
            <p className="attention-note" data-testid="forum-attention">
              {t('result.attention')}: {r.attention}
            </p>
          )}
          {r.status === 'room_full' && (
            <>
              <p>{t('forumScan.fullDetail', { inside: r.inside, capacity: r.capacity })}</p>
              <div className="actions">
                <button
                  type="button"
                  className="primary"
                  data-testid="forum-admit-anyway"
                  onClick={() => void scan(r.code, performance.now(), true)}
                >
                  {t('forumScan.admitAnyway')}
                </button>
                <button type="button" onClick={() => useForums.getState().clearAnswer()}>
                  {t('walkIn.cancel')}
                </button>
              </div>
            </>
          )}
          {r.status === 'assigned_elsewhere' && assigned && (
            <>
              <p>{t('forumScan.elsewhereDetail', { name: forumName(assigned), room: assigned.room })}</p>
              <div className="actions">
                <button
                  type="button"
                  className="primary"
                  data-testid="forum-admit-anyway"
                  onClick={() => void scan(r.code, performance.now(), true)}
                >
                  {t('forumScan.admitAnyway')}
                </button>
                <button type="button" onClick={() => useForums.getState().clearAnswer()}>
                  {t('forumScan.refuse')}
                </button>
              </div>
            </>
          )}
          {r.admittedAnyway && assigned && <p>{t('forumScan.admittedAnyway', { name: forumName(assigned) })}</p>}
          {r.admittedAnyway && !assigned && <p>{t('forumScan.admittedFull')}</p>}
        </div>
      )}
    </section>
  );
}
