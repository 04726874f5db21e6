import { useState } from 'react';
import type { ForumStatus } from '../../../shared/domain.ts';
import type { LanyardError } from '../../../shared/result.ts';
import { addForum, removeForum, setupErrorText } from '../event-setup.ts';
import { useForumName, useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';

const blankForum = { id: '', zh: '', en: '', de: '', room: '', capacity: 100 };

/** Adding a sub-forum: a short id, names in three languages (at least one), room, capacity. */
export function ForumAddForm(props: { onChanged: () => Promise<void> }) {
  const t = useT();
  const locale = useKiosk((s) => s.locale);
  const [f, setF] = useState(blankForum);
  const [error, setError] = useState<LanyardError | null>(null);
  const submit = async () => {
    const r = await addForum({
      id: f.id,
      name: { zh: f.zh, en: f.en, de: f.de },
      room: f.room,
      capacity: f.capacity,
    });
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    setF(blankForum);
    await props.onChanged();
  };
  return (
    <form
      className="forum-add"
      data-testid="forum-add"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>{t('forumSetup.add')}</h3>
      <label title={t('forumSetup.idHint')}>
        {t('forumSetup.id')}
        <input name="forum-id" value={f.id} maxLength={40} onChange={(e) => setF({ ...f, id: e.target.value })} />
      </label>
      <label>
        {t('eventForm.nameZh')}
        <input name="forum-name-zh" value={f.zh} onChange={(e) => setF({ ...f, zh: e.target.value })} />
      </label>
      <label>
        {t('eventForm.nameEn')}
        <input name="forum-name-en" value={f.en} onChange={(e) => setF({ ...f, en: e.target.value })} />
      </label>
      <label>
        {t('eventForm.nameDe')}
        <input name="forum-name-de" value={f.de} onChange={(e) => setF({ ...f, de: e.target.value })} />
      </label>
      <label>
        {t('dash.room')}
        <input name="forum-room" value={f.room} maxLength={80} onChange={(e) => setF({ ...f, room: e.target.value })} />
      </label>
      <label>
        {t('dash.capacity')}
        <input
          name="forum-capacity"
          type="number"
          min={0}
          value={f.capacity}
          onChange={(e) => setF({ ...f, capacity: Number(e.target.value) })}
        />
      </label>
      <button type="submit" className="primary" data-testid="forum-add-submit">
        {t('forumSetup.add')}
      </button>
      {error && (
        <p className="bad" role="alert">
          {setupErrorText(locale, error)}
        </p>
      )}
    </form>
  );
}

/**
 * Removing a forum: a plain confirmation when nobody is assigned to it, else the "move N guests to…"
 * step — the guests move and the forum goes in one transaction.
 */
export function ForumRemoveDialog(props: { forum: ForumStatus; others: ForumStatus[]; onClose: () => void }) {
  const t = useT();
  const locale = useKiosk((s) => s.locale);
  const forumName = useForumName();
  const { forum, others } = props;
  const [moveTo, setMoveTo] = useState(others[0]?.id ?? '');
  const [error, setError] = useState<LanyardError | null>(null);
  const inUse = forum.assigned > 0;
  const confirm = async () => {
    const r = await removeForum(forum.id, inUse ? moveTo : '');
    if (r.ok) props.onClose();
    else setError(r.error);
  };
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" data-testid="forum-remove-dialog">
        <h2>{t('forumSetup.removeHeading', { name: forumName(forum) })}</h2>
        {inUse && (
          <label>
            {t('forumSetup.moveGuests', { count: forum.assigned, name: forumName(forum) })}
            <select name="move-to" value={moveTo} onChange={(e) => setMoveTo(e.target.value)} autoFocus>
              {others.map((o) => (
                <option key={o.id} value={o.id}>
                  {forumName(o)} · {o.room} ({o.assigned}/{o.capacity})
                </option>
              ))}
            </select>
          </label>
        )}
        {error && (
          <p className="bad" role="alert">
            {setupErrorText(locale, error)}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            {t('eventForm.cancel')}
          </button>
          <button
            type="button"
            className="primary"
            data-testid="forum-remove-confirm"
            disabled={inUse && moveTo === ''}
            onClick={() => void confirm()}
            autoFocus={!inUse}
          >
            {inUse ? t('forumSetup.moveAndRemove', { count: forum.assigned }) : t('forumSetup.removeConfirm')}
          </button>
        </div>
      </div>
    </div>
  );
}
