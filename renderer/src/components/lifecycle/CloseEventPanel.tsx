import { useCallback, useEffect, useState } from 'react';
import type { CloseCheck } from '../../../../shared/backup.ts';
import { ExportFileSchema } from '../../../../shared/roster/contract-types.ts';
import { api } from '../../api/client.ts';
import { useErrorText, useT } from '../../i18n.ts';
import { downloadBase64, followJob } from '../../jobs.ts';
import { useKiosk } from '../../store.ts';

/**
 * Settings → Close this event: what is not yet on the server or in an exported bundle; refused until it is;
 * then the kiosk's data goes and the welcome screen comes back. Typing the event id guards a slip.
 */
export function CloseEventPanel() {
  const t = useT();
  const errorText = useErrorText();
  const locale = useKiosk((s) => s.locale);
  const refreshStatus = useKiosk((s) => s.refreshStatus);
  const setView = useKiosk((s) => s.setView);
  const [check, setCheck] = useState<CloseCheck | null>(null);
  const [confirm, setConfirm] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const result = await api['event.closeCheck']({});
    if (result.ok) setCheck(result.value);
  }, []);
  useEffect(() => {
    void load();
    // Scans, syncs and backups change what closing would lose while this screen is open.
    const timer = setInterval(() => void load(), 3000);
    return () => clearInterval(timer);
  }, [load]);

  const exportBundle = async () => {
    setBusy(true);
    const started = await api['roster.export']({ format: 'bundle', forumId: '' });
    const outcome = started.ok ? await followJob(started.value.jobId, () => {}) : { error: started.error };
    setBusy(false);
    if ('error' in outcome) setMessage(errorText(outcome.error));
    else {
      const file = ExportFileSchema.parse(outcome.result);
      downloadBase64(file.fileName, file.mime, file.dataBase64);
      setMessage('');
    }
    await load();
  };
  const close = async () => {
    setBusy(true);
    const result = await api['event.close']({ force: false });
    setBusy(false);
    if (!result.ok) {
      setMessage(errorText(result.error));
      await load();
      return;
    }
    setView('door');
    await refreshStatus();
  };
  if (check === null) return null;
  const when = (iso: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));

  return (
    <section className="settings-panel close-event" data-testid="close-event">
      <h2>{t('close.heading')}</h2>
      <p>{t('close.body')}</p>
      <ul data-testid="close-facts">
        <li>
          {check.paired
            ? check.unsynced === 0
              ? t('close.allSynced')
              : t('close.unsynced', { count: check.unsynced })
            : t('close.notPaired')}
        </li>
        {!check.paired && check.unsynced > 0 && <li>{t('close.unsynced', { count: check.unsynced })}</li>}
        <li>
          {check.bundleExportedAt === ''
            ? t('close.notExported')
            : check.exportedAfterLastEvent
              ? t('close.exported', { at: when(check.bundleExportedAt) })
              : t('close.exportedStale', { at: when(check.bundleExportedAt) })}
        </li>
        <li>{t('close.counts', { guests: check.guests, backups: check.backups })}</li>
        {check.hubData !== '' && <li data-testid="close-hub-kept">{t('close.hubKept', { dir: check.hubData })}</li>}
      </ul>
      {!check.canClose && (
        <p className="bad" data-testid="close-refused">
          {t('close.refused')}
        </p>
      )}
      <div className="settings-row">
        <button type="button" data-testid="close-export-bundle" disabled={busy} onClick={() => void exportBundle()}>
          {t('close.exportBundle')}
        </button>
        <label>
          {t('close.confirm', { id: check.eventId ?? '' })}
          <input data-testid="close-confirm" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        </label>
        <button
          type="button"
          className="danger"
          data-testid="close-event-button"
          disabled={busy || !check.canClose || confirm.trim() !== check.eventId}
          onClick={() => void close()}
        >
          {t('close.go')}
        </button>
      </div>
      {message && (
        <p className="bad" role="alert" data-testid="close-message">
          {message}
        </p>
      )}
    </section>
  );
}
