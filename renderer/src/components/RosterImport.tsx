import { useState } from 'react';
import {
  ImportSummarySchema,
  RosterPreviewSchema,
  type ImportSummary,
  type JobStatusView,
  type RosterPreview,
} from '../../../shared/roster/contract-types.ts';
import { rosterFields, type ColumnMapping, type RosterField } from '../../../shared/roster/mapping.ts';
import { api } from '../api/client.ts';
import { useT } from '../i18n.ts';
import { fileToBase64, followJob } from '../jobs.ts';
import { useKiosk } from '../store.ts';

/** Choose a file → check the column mapping against a preview → dry run or import, with progress. */
export function RosterImport() {
  const t = useT();
  const refreshLists = useKiosk((s) => s.refreshLists);
  const [preview, setPreview] = useState<RosterPreview | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [job, setJob] = useState<JobStatusView | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [error, setError] = useState('');

  const run = async (
    start: () => Promise<{ ok: true; value: { jobId: string } } | { ok: false; error: { message: string } }>,
  ) => {
    setError('');
    const started = await start();
    if (!started.ok) {
      setError(started.error.message);
      return null;
    }
    const outcome = await followJob(started.value.jobId, setJob);
    setJob(null);
    if ('error' in outcome) {
      setError(outcome.error.message);
      return null;
    }
    return outcome.result;
  };

  const choose = async (file: File) => {
    setPreview(null);
    setSummary(null);
    const dataBase64 = await fileToBase64(file);
    const result = await run(() => api['roster.upload']({ fileName: file.name, dataBase64 }));
    if (result === null) return;
    const parsed = RosterPreviewSchema.parse(result);
    setPreview(parsed);
    setMapping(parsed.mapping);
  };

  const startImport = async (dryRun: boolean) => {
    if (!preview) return;
    const result = await run(() => api['roster.import']({ uploadId: preview.uploadId, mapping, dryRun }));
    if (result === null) return;
    setSummary(ImportSummarySchema.parse(result));
    await refreshLists();
  };

  const setField = (field: RosterField, value: string) => {
    const next = { ...mapping };
    if (value === '') delete next[field];
    else next[field] = Number(value);
    setMapping(next);
  };

  return (
    <section className="roster-import" data-testid="roster-import">
      <h2>{t('roster.importHeading')}</h2>
      <label className="file">
        {t('roster.chooseFile')}
        <input
          type="file"
          accept=".csv,.tsv,.txt,.xlsx"
          data-testid="roster-file"
          onChange={(e) => e.target.files?.[0] && void choose(e.target.files[0])}
        />
      </label>
      {job && (
        <div className="progress" data-testid="roster-progress">
          <progress max={job.total || 1} value={job.done} />
          <span>{t('roster.progress', { phase: job.phase, done: job.done, total: job.total })}</span>
          <button type="button" onClick={() => void api['jobs.cancel']({ jobId: job.id })}>
            {t('roster.cancel')}
          </button>
        </div>
      )}
      {error && (
        <p className="bad" role="alert" data-testid="roster-error">
          {error}
        </p>
      )}
      {preview && (
        <>
          <p data-testid="roster-file-info">
            {t('roster.fileInfo', {
              file: preview.fileName,
              rows: preview.rowCount,
              format: preview.format.toUpperCase(),
              encoding: preview.encoding,
            })}
            {preview.remembered && ` ${t('roster.remembered')}`}
          </p>
          <label>
            {t('roster.preset')}{' '}
            <select
              data-testid="roster-preset"
              defaultValue=""
              onChange={(e) => {
                if (e.target.value === '') return;
                void api['roster.presetMapping']({ uploadId: preview.uploadId, preset: e.target.value }).then(
                  (r) => r.ok && setMapping(r.value.mapping),
                );
              }}
            >
              <option value="">—</option>
              {preview.presets.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
          <div className="mapping-grid">
            <table className="mapping" data-testid="roster-mapping">
              <thead>
                <tr>
                  <th>{t('roster.field')}</th>
                  <th>{t('roster.column')}</th>
                </tr>
              </thead>
              <tbody>
                {rosterFields.map((field) => (
                  <tr key={field}>
                    <td>{t(`field.${field}`)}</td>
                    <td>
                      <select
                        name={`map-${field}`}
                        value={mapping[field] ?? ''}
                        onChange={(e) => setField(field, e.target.value)}
                      >
                        <option value="">{t('roster.notImported')}</option>
                        {preview.headers.map((h, i) => (
                          <option key={i} value={i}>
                            {h || `#${i + 1}`}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="preview-wrap">
              <table className="preview" data-testid="roster-preview">
                <thead>
                  <tr>
                    {preview.headers.map((h, i) => (
                      <th key={i} className={Object.values(mapping).includes(i) ? 'mapped' : ''}>
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {preview.sample.map((row, r) => (
                    <tr key={r}>
                      {preview.headers.map((_, i) => (
                        <td key={i}>{row[i] ?? ''}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          <div className="actions">
            <button
              type="button"
              data-testid="roster-dry-run"
              disabled={job !== null}
              onClick={() => void startImport(true)}
            >
              {t('roster.dryRun')}
            </button>
            <button
              type="button"
              className="primary"
              data-testid="roster-import-button"
              disabled={job !== null}
              onClick={() => void startImport(false)}
            >
              {t('roster.import')}
            </button>
          </div>
        </>
      )}
      {summary && (
        <div className="import-summary" data-testid="roster-summary" data-applied={summary.applied}>
          <p>
            <strong>{summary.applied ? t('roster.applied') : t('roster.notApplied')}</strong>{' '}
            {t('roster.summary', {
              added: summary.added,
              updated: summary.updated,
              unchanged: summary.unchanged,
              removed: summary.removed,
            })}
          </p>
          {summary.errors.length > 0 && (
            <>
              <p className="bad">{t('roster.errorsHeading', { count: summary.errors.length })}</p>
              <table className="errors" data-testid="roster-errors">
                <thead>
                  <tr>
                    <th>{t('roster.row')}</th>
                    <th>{t('roster.column')}</th>
                    <th>{t('roster.problem')}</th>
                  </tr>
                </thead>
                <tbody>
                  {summary.errors.map((e, i) => (
                    <tr key={i} data-code={e.code}>
                      <td>{e.row}</td>
                      <td>{e.column}</td>
                      <td>
                        <strong>{t(`rowError.${e.code}`)}</strong> · {e.message}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      )}
    </section>
  );
}
