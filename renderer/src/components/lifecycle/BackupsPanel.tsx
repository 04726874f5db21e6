import { useCallback, useEffect, useState } from 'react';
import type { BackupStatus } from '../../../../shared/backup.ts';
import { api } from '../../api/client.ts';
import { useErrorText, useT } from '../../i18n.ts';
import { followJob } from '../../jobs.ts';
import { useKiosk } from '../../store.ts';

function size(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`;
}

/** Settings → Backups: the folder (a USB stick), how often, how many to keep, "Back up now", the last ones. */
export function BackupsPanel() {
  const t = useT();
  const errorText = useErrorText();
  const locale = useKiosk((s) => s.locale);
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [form, setForm] = useState({ folder: '', intervalMinutes: 5, keep: 12 });
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const result = await api['backups.status']({});
    if (!result.ok) return;
    setStatus(result.value);
    setForm({ folder: result.value.folder, intervalMinutes: result.value.intervalMinutes, keep: result.value.keep });
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const save = async () => {
    const result = await api['backups.configure'](form);
    if (!result.ok) setMessage(errorText(result.error));
    else {
      setStatus(result.value);
      setMessage('');
    }
  };
  const backUpNow = async () => {
    setBusy(true);
    const started = await api['backups.now']({});
    const outcome = started.ok ? await followJob(started.value.jobId, () => {}) : { error: started.error };
    setBusy(false);
    if ('error' in outcome) setMessage(errorText(outcome.error));
    else setMessage(t('backups.done', { file: (outcome.result as { file: string }).file }));
    await load();
  };
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' });

  return (
    <section className="settings-panel" data-testid="backups-panel">
      <h2>{t('backups.heading')}</h2>
      <p>{t('backups.body')}</p>
      <form
        className="settings-row"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label className="wide">
          {t('backups.folder')}
          <input
            data-testid="backups-folder"
            value={form.folder}
            maxLength={1000}
            onChange={(e) => setForm({ ...form, folder: e.target.value })}
          />
        </label>
        <label>
          {t('backups.interval')}
          <input
            type="number"
            min={1}
            max={1440}
            data-testid="backups-interval"
            value={form.intervalMinutes}
            onChange={(e) => setForm({ ...form, intervalMinutes: Number(e.target.value) })}
          />
        </label>
        <label>
          {t('backups.keep')}
          <input
            type="number"
            min={1}
            max={500}
            data-testid="backups-keep"
            value={form.keep}
            onChange={(e) => setForm({ ...form, keep: Number(e.target.value) })}
          />
        </label>
        <button type="submit" data-testid="backups-save">
          {t('backups.save')}
        </button>
        <button
          type="button"
          className="primary"
          data-testid="backups-now"
          disabled={busy}
          onClick={() => void backUpNow()}
        >
          {t('backups.now')}
        </button>
      </form>
      {status?.lastError && <p className="bad">{t('backups.failed', { message: errorText(status.lastError) })}</p>}
      {message && <p data-testid="backups-message">{message}</p>}
      {status && status.backups.length === 0 && <p>{t('backups.none')}</p>}
      <ul className="backup-list" data-testid="backups-list">
        {status?.backups.map((b) => (
          <li key={b.file} title={b.file}>
            {t('backups.item', { at: when.format(new Date(b.at)), size: size(b.bytes) })} —{' '}
            <code>{b.file.split(/[\\/]/).pop()}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}
