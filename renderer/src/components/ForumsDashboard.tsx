import { useEffect, useState } from 'react';
import type { AutoAssignOutcome, Forum, ForumStatus } from '../../../shared/domain.ts';
import type { LanyardError } from '../../../shared/result.ts';
import { api } from '../api/client.ts';
import { moveForum, setupErrorText } from '../event-setup.ts';
import { useForums } from '../forum-store.ts';
import { useForumName, useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { EventPanel } from './EventPanel.tsx';
import { ForumAddForm, ForumRemoveDialog } from './ForumSetup.tsx';
import { LiveCharts } from './live/LiveCharts.tsx';

/**
 * Organisers' view: the event (edit), the live pictures, per forum capacity, assigned, arrived, inside — live; editing,
 * adding, reordering and removing forums; auto-assignment.
 */
export function ForumsDashboard() {
  const t = useT();
  const forumName = useForumName();
  const rows = useForums((s) => s.dashboard);
  const refresh = useForums((s) => s.refreshDashboard);
  const refreshStatus = useKiosk((s) => s.refreshStatus);
  const locale = useKiosk((s) => s.locale);
  const [editing, setEditing] = useState<Forum | null>(null);
  const [removing, setRemoving] = useState<ForumStatus | null>(null);
  const [outcome, setOutcome] = useState<AutoAssignOutcome | null>(null);
  const [error, setError] = useState<LanyardError | null>(null);

  useEffect(() => {
    void refresh();
    const timer = window.setInterval(() => void refresh(), 2000);
    return () => window.clearInterval(timer);
  }, [refresh]);

  const ids = rows.map((r) => r.id);
  const runAutoAssign = async (dryRun: boolean) => {
    const r = await api['forums.autoAssign']({ dryRun });
    if (r.ok) setOutcome(r.value);
    else setError(r.error);
    await refresh();
  };
  const save = async () => {
    if (!editing) return;
    const r = await api['forums.update']({ forum: editing });
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setEditing(null);
    setError(null);
    await Promise.all([refresh(), refreshStatus()]);
  };

  return (
    <section className="dashboard" data-testid="forums-dashboard">
      <EventPanel />
      <LiveCharts forums={rows} />
      {rows.length === 0 && <p data-testid="forums-none">{t('forumSetup.none')}</p>}
      <table>
        <thead>
          <tr>
            <th>{t('dash.forum')}</th>
            <th>{t('dash.room')}</th>
            <th>{t('dash.capacity')}</th>
            <th>{t('dash.assigned')}</th>
            <th>{t('dash.arrived')}</th>
            <th>{t('dash.inside')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((f: ForumStatus, i) =>
            editing?.id === f.id ? (
              <tr key={f.id} data-testid={`dash-edit-${f.id}`}>
                <td>
                  {(['zh', 'en', 'de'] as const).map((lang) => (
                    <input
                      key={lang}
                      aria-label={lang}
                      name={`name-${lang}`}
                      value={editing.name[lang]}
                      onChange={(e) => setEditing({ ...editing, name: { ...editing.name, [lang]: e.target.value } })}
                    />
                  ))}
                </td>
                <td>
                  <input
                    name="room"
                    value={editing.room}
                    onChange={(e) => setEditing({ ...editing, room: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    name="capacity"
                    type="number"
                    min={0}
                    value={editing.capacity}
                    onChange={(e) => setEditing({ ...editing, capacity: Number(e.target.value) })}
                  />
                </td>
                <td colSpan={3}>
                  <input
                    name="startsAt"
                    value={editing.startsAt}
                    onChange={(e) => setEditing({ ...editing, startsAt: e.target.value })}
                  />
                  <input
                    name="endsAt"
                    value={editing.endsAt}
                    onChange={(e) => setEditing({ ...editing, endsAt: e.target.value })}
                  />
                  <input
                    name="colour"
                    type="color"
                    value={editing.colour}
                    onChange={(e) => setEditing({ ...editing, colour: e.target.value })}
                  />
                </td>
                <td>
                  <button type="button" className="primary" data-testid="dash-save" onClick={() => void save()}>
                    {t('dash.save')}
                  </button>
                  <button type="button" onClick={() => setEditing(null)}>
                    {t('dash.cancel')}
                  </button>
                </td>
              </tr>
            ) : (
              <tr key={f.id} data-testid={`dash-row-${f.id}`}>
                <td>
                  <span className="forum-dot" style={{ background: f.colour }} /> {forumName(f)}
                </td>
                <td>{f.room}</td>
                <td data-col="capacity">{f.capacity}</td>
                <td data-col="assigned" className={f.assigned > f.capacity ? 'bad' : ''}>
                  {f.assigned}
                </td>
                <td data-col="arrived">{f.arrived}</td>
                <td data-col="inside">{f.inside}</td>
                <td>
                  <button
                    type="button"
                    className="quiet"
                    data-testid={`dash-edit-button-${f.id}`}
                    onClick={() => {
                      const { assigned: _a, arrived: _b, inside: _c, ...forum } = f;
                      setEditing(forum);
                    }}
                  >
                    {t('dash.edit')}
                  </button>
                  <button
                    type="button"
                    className="quiet"
                    aria-label={t('forumSetup.up')}
                    title={t('forumSetup.up')}
                    data-testid={`forum-up-${f.id}`}
                    disabled={i === 0}
                    onClick={() => void moveForum(ids, f.id, -1).then(refresh)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="quiet"
                    aria-label={t('forumSetup.down')}
                    title={t('forumSetup.down')}
                    data-testid={`forum-down-${f.id}`}
                    disabled={i === rows.length - 1}
                    onClick={() => void moveForum(ids, f.id, 1).then(refresh)}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="quiet"
                    data-testid={`forum-remove-${f.id}`}
                    onClick={() => setRemoving(f)}
                  >
                    {t('forumSetup.remove')}
                  </button>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
      {error && <ErrorNote error={error} text={setupErrorText(locale, error)} />}
      <ForumAddForm onChanged={refresh} />
      {removing && (
        <ForumRemoveDialog
          forum={removing}
          others={rows.filter((r) => r.id !== removing.id)}
          onClose={() => {
            setRemoving(null);
            void refresh();
          }}
        />
      )}
      <div className="actions">
        <button type="button" data-testid="auto-preview" onClick={() => void runAutoAssign(true)}>
          {t('dash.autoPreview')}
        </button>
        {outcome && !outcome.applied && outcome.placed > 0 && (
          <button type="button" className="primary" data-testid="auto-apply" onClick={() => void runAutoAssign(false)}>
            {t('dash.autoApply')}
          </button>
        )}
      </div>
      {outcome && (
        <p data-testid="auto-outcome">
          {outcome.applied && `${t('dash.autoApplied')} `}
          {t('dash.autoResult', {
            placed: outcome.placed,
            considered: outcome.considered,
            ranks: outcome.byRank.map((n, i) => `${i + 1}: ${n}`).join(', '),
            without: outcome.withoutPreference,
            unplaced: outcome.unplaced.length,
          })}
        </p>
      )}
    </section>
  );
}
