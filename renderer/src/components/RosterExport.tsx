import { useState } from 'react';
import { ExportFileSchema, exportFormats } from '../../../shared/roster/contract-types.ts';
import type { LanyardError } from '../../../shared/result.ts';
import { api } from '../api/client.ts';
import { useForumName, useT } from '../i18n.ts';
import { downloadBase64, followJob } from '../jobs.ts';
import { useKiosk } from '../store.ts';
import { ErrorNote } from './ErrorNote.tsx';

const LABELS: Record<(typeof exportFormats)[number], string> = {
  csv: 'CSV',
  xlsx: 'XLSX',
  json: 'JSON',
  bundle: 'ZIP',
};

export function RosterExport() {
  const t = useT();
  const forumName = useForumName();
  const locale = useKiosk((s) => s.locale);
  const forums = useKiosk((s) => s.status?.event?.forums ?? []);
  const [forumId, setForumId] = useState('');
  const [busy, setBusy] = useState('');
  const [message, setMessage] = useState('');
  const [failure, setFailure] = useState<LanyardError | null>(null);

  const download = async (format: (typeof exportFormats)[number]) => {
    setBusy(format);
    const started = await api['roster.export']({ format, forumId, lang: locale });
    const outcome = started.ok ? await followJob(started.value.jobId, () => {}) : { error: started.error };
    setBusy('');
    setFailure('error' in outcome ? outcome.error : null);
    if ('error' in outcome) {
      setMessage('');
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
      {failure && <ErrorNote error={failure} testId="export-error" />}
    </section>
  );
}
