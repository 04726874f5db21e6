import { useState } from 'react';
import { ExportFileSchema, exportFormats } from '../../../shared/roster/contract-types.ts';
import { api } from '../api/client.ts';
import { useForumName, useT } from '../i18n.ts';
import { downloadBase64, followJob } from '../jobs.ts';
import { useKiosk } from '../store.ts';

const LABELS: Record<(typeof exportFormats)[number], string> = {
  csv: 'CSV',
  xlsx: 'XLSX',
  json: 'JSON',
  bundle: 'ZIP',
};

export function RosterExport() {
  const t = useT();
  const forumName = useForumName();
  const forums = useKiosk((s) => s.status?.event?.forums ?? []);
  const [forumId, setForumId] = useState('');
  const [busy, setBusy] = useState('');
  const [message, setMessage] = useState('');

  const download = async (format: (typeof exportFormats)[number]) => {
    setBusy(format);
    const started = await api['roster.export']({ format, forumId });
    const outcome = started.ok ? await followJob(started.value.jobId, () => {}) : { error: started.error };
    setBusy('');
    if ('error' in outcome) {
      setMessage(outcome.error.message);
      return;
    }
    const file = ExportFileSchema.parse(outcome.result);
    downloadBase64(file.fileName, file.mime, file.dataBase64);
    setMessage(t('roster.exported', { file: file.fileName, rows: file.rows }));
  };

  return (
    <section className="roster-export" data-testid="roster-export">
      <h2>{t('roster.exportHeading')}</h2>
      <select data-testid="export-forum" value={forumId} onChange={(e) => setForumId(e.target.value)}>
        <option value="">{t('roster.allGuests')}</option>
        {forums.map((f) => (
          <option key={f.id} value={f.id}>
            {forumName(f)}
          </option>
        ))}
      </select>
      {exportFormats.map((format) => (
        <button
          key={format}
          type="button"
          data-testid={`export-${format}`}
          disabled={busy !== ''}
          onClick={() => void download(format)}
        >
          {t('roster.exportAs', { format: LABELS[format] })}
        </button>
      ))}
      {message && <p data-testid="export-message">{message}</p>}
    </section>
  );
}
