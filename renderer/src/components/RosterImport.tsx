import {
  ImportSummarySchema,
  RosterPreviewSchema,
  type ImportSummary,
  type JobStatusView,
  type RosterPreview,
} from '../../../shared/roster/contract-types.ts';
import { rosterFields, type ColumnMapping, type RosterField } from '../../../shared/roster/mapping.ts';
import type { LanyardError } from '../../../shared/result.ts';
import { api } from '../api/client.ts';
import { useT } from '../i18n.ts';
import { fileToBase64, followJob } from '../jobs.ts';
import { refuseTooLarge, MAX_FILE_MB } from '../roster-file-size.ts';
import { useRosterImport } from '../roster-import-store.ts';
import { useKiosk } from '../store.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { RosterImportSummary } from './RosterImportSummary.tsx';
import { RosterLists } from './RosterLists.tsx';

const phases = ['starting', 'reading', 'checking', 'writing', 'done'] as const;

/**
 * The job's phase in the screen's language (the core names it in English), and its count only where the
 * count has a total: while a file is read the core counts rows without knowing how many there are.
 */
function progressText(t: ReturnType<typeof useT>, job: JobStatusView): string {
  const known = (phases as readonly string[]).includes(job.phase);
  const phase = known ? t(`roster.phase.${job.phase as (typeof phases)[number]}`) : job.phase;
  if (job.total > 0) return t('roster.progress', { phase, done: job.done, total: job.total });
  return job.done > 0 ? t('roster.progressRows', { phase, done: job.done }) : phase;
}

/**
 * The guest lists, then: choose a file → name its list → check the column mapping against a preview →
 * dry run or import, with progress. "This file is the complete list" imports only after a check with the
 * same settings has shown who would be removed.
 */
export function RosterImport() {
  const t = useT();
  const refreshLists = useKiosk((s) => s.refreshLists);
  const { preview, mapping, job, summary, error, refusedFile, listName, replace, checked, listsVersion, put } =
    useRosterImport();
  const setPreview = (next: RosterPreview | null) => put({ preview: next });
  const setMapping = (next: ColumnMapping) => put({ mapping: next });
  const setJob = (next: JobStatusView | null) => put({ job: next });
  const setSummary = (next: ImportSummary | null) => put({ summary: next });
  const setError = (next: LanyardError | null) => put({ error: next });
  const setListName = (next: string) => put({ listName: next });
  const setReplace = (next: boolean) => put({ replace: next });
  const setChecked = (next: string) => put({ checked: next });
  const settings = JSON.stringify([preview?.uploadId, mapping, listName.trim(), replace]);

  const run = async (
    start: () => Promise<{ ok: true; value: { jobId: string } } | { ok: false; error: LanyardError }>,
  ) => {
    setError(null);
    const started = await start();
    if (!started.ok) {
      setError(started.error);
      return null;
    }
    const outcome = await followJob(started.value.jobId, setJob);
    setJob(null);
    if ('error' in outcome) {
      setError(outcome.error);
      return null;
    }
    return outcome.result;
  };

  const choose = async (file: File) => {
    setPreview(null);
    setSummary(null);
    const refused = refuseTooLarge(file);
    put({ refusedFile: null, error: null, ...refused });
    if (refused !== null) return;
    const dataBase64 = await fileToBase64(file);
    const result = await run(() => api['roster.upload']({ fileName: file.name, dataBase64 }));
    if (result === null) return;
    const parsed = RosterPreviewSchema.parse(result);
    setPreview(parsed);
    setMapping(parsed.mapping);
    setListName(parsed.listName);
    setReplace(false);
  };

  const startImport = async (dryRun: boolean) => {
    if (!preview) return;
    const result = await run(() =>
      api['roster.import']({ uploadId: preview.uploadId, mapping, dryRun, list: listName.trim(), replace }),
    );
    if (result === null) return;
    const done = ImportSummarySchema.parse(result);
    setSummary(done);
    setChecked(dryRun && done.errors.length === 0 ? settings : '');
    if (done.applied) {
      put({ listsVersion: useRosterImport.getState().listsVersion + 1 });
      setReplace(false); // the next complete-list import is ticked, and checked, afresh
    }
    await refreshLists();
  };

  const setField = (field: RosterField, value: string) => {
    const next = { ...mapping };
    if (value === '') delete next[field];
    else next[field] = Number(value);
    setMapping(next);
  };

  // Shown by the buttons that started it (with a file chosen, they are far below the file input).
  const progressBlock = job && (
    <div className="progress" data-testid="roster-progress" data-phase={job.phase} data-done={job.done}>
      <progress max={job.total || 1} value={job.total > 0 ? job.done : 0} />
      <span>{progressText(t, job)}</span>
      <button type="button" data-testid="roster-cancel" onClick={() => void api['jobs.cancel']({ jobId: job.id })}>
        {t('roster.cancel')}
      </button>
    </div>
  );

  return (
    <section className="roster-import" data-testid="roster-import">
      <RosterLists version={listsVersion} />
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
      {!preview && progressBlock}
      {!preview && error && (
        <ErrorNote
          error={error}
          testId="roster-error"
          text={
            error.code === 'file_too_large' && refusedFile !== null
              ? t('roster.fileTooLarge', {
                  file: refusedFile.name,
                  size: refusedFile.mb,
                  limit: MAX_FILE_MB,
                })
              : undefined
          }
        />
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
                const chosen = preview.presets.find((p) => p.id === e.target.value);
                // The preset names its system's list, unless the user already named the list.
                if (chosen?.listName && listName.trim() === preview.listName) setListName(chosen.listName);
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
          <div className="list-choice">
            <label>
              {t('roster.list')}{' '}
              <input
                type="text"
                data-testid="roster-list-name"
                maxLength={100}
                value={listName}
                onChange={(e) => setListName(e.target.value)}
              />
            </label>
            <span className="muted">{t('roster.listHint')}</span>
            <label className="replace">
              <input
                type="checkbox"
                data-testid="roster-replace"
                checked={replace}
                onChange={(e) => setReplace(e.target.checked)}
              />{' '}
              {t('roster.replace')}
            </label>
            {replace && <span className="muted">{t('roster.replaceHint')}</span>}
          </div>
          <div className="actions">
            <button
              type="button"
              data-testid="roster-dry-run"
              disabled={job !== null || listName.trim() === ''}
              onClick={() => void startImport(true)}
            >
              {t('roster.dryRun')}
            </button>
            <button
              type="button"
              className="primary"
              data-testid="roster-import-button"
              disabled={job !== null || listName.trim() === '' || (replace && checked !== settings)}
              onClick={() => void startImport(false)}
            >
              {t('roster.import')}
            </button>
            {replace && checked !== settings && (
              <span className="warn" data-testid="roster-check-first">
                {t('roster.checkFirst')}
              </span>
            )}
          </div>
          {progressBlock}
          {error && <ErrorNote error={error} testId="roster-error" />}
        </>
      )}
      {summary && <RosterImportSummary summary={summary} />}
    </section>
  );
}
