import fs from 'node:fs';
import path from 'node:path';
import type { ExportFile, ImportSummary, RosterPreview } from '../../shared/roster/contract-types.ts';
import type { ColumnMapping } from '../../shared/roster/mapping.ts';
import { defaultListName } from '../../shared/roster/lists.ts';
import { exportLanguages, type ExportLanguage } from '../../shared/roster/export/labels.ts';
import type { Device } from '../../shared/domain.ts';
import { readRosterFile } from '../core/roster/read-file.ts';
import { runJob, usage, type CliContext } from './context.ts';

/** The human text of an import: counts, who a complete list takes off, every row error. */
function importText(s: ImportSummary): string {
  const state = s.applied ? 'Imported' : s.dryRun && s.errors.length === 0 ? 'Dry run' : 'NOT imported';
  const lines = [
    `${state} into list "${s.list}"${s.replace ? ' (complete list)' : ''}: ${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged, ${s.removed} removed`,
  ];
  if (s.removed > 0) {
    lines.push(`${s.applied ? 'Removed' : 'Would remove'}:`);
    for (const g of s.removedGuests) lines.push(`  ${g.name}${g.organization ? ` — ${g.organization}` : ''}`);
    if (s.removed > s.removedGuests.length) lines.push(`  … and ${s.removed - s.removedGuests.length} more`);
  }
  if (s.leftList > 0) lines.push(`${s.leftList} leave the list but stay (on another list, or walk-ins)`);
  for (const e of s.errors) lines.push(`row ${e.row}, ${e.column}: ${e.code}: ${e.message}`);
  return lines.join('\n');
}

/**
 * The export's language: --lang, else the one staff last chose on this kiosk's screen; null (English
 * headers and forum ids, as scripts written before there was a choice read them) when neither says.
 */
function exportLanguage(option: string | undefined, call: CliContext['call']): ExportLanguage | null {
  if (option !== undefined) {
    return exportLanguages.find((l) => l === option) ?? usage(`--lang takes ${exportLanguages.join('|')}`);
  }
  return call<{ device: Device | null }>('app.status', {}).device?.language ?? null;
}

/** `lanyard import | export`. Returns null for other commands. */
export async function runRosterCommand(
  command: string,
  { values, args, call, out }: CliContext,
): Promise<number | null> {
  switch (command) {
    case 'import': {
      const file = args[0] ?? usage('import needs a FILE');
      const bytes = readRosterFile(path.resolve(file));
      const preview = await runJob<RosterPreview>(
        call,
        call<{ jobId: string }>('roster.upload', {
          fileName: path.basename(file),
          dataBase64: bytes.toString('base64'),
        }).jobId,
      );
      const mapping =
        values.preset === undefined
          ? preview.mapping
          : call<{ mapping: ColumnMapping }>('roster.presetMapping', {
              uploadId: preview.uploadId,
              preset: values.preset,
            }).mapping;
      const list =
        values.list ?? (values.preset === undefined ? preview.listName : defaultListName(file, values.preset));
      const summary = await runJob<ImportSummary>(
        call,
        call<{ jobId: string }>('roster.import', {
          uploadId: preview.uploadId,
          mapping,
          dryRun: values['dry-run'],
          list,
          replace: values.replace,
        }).jobId,
      );
      const { added, updated, unchanged, removed, errors } = summary;
      out({ list: summary.list, added, updated, unchanged, removed, errors }, importText(summary));
      return errors.length > 0 ? 2 : 0;
    }
    case 'export': {
      const format = values.format ?? usage('export needs --format csv|xlsx|json|bundle');
      const target = values.out ?? usage('export needs --out FILE');
      const lang = exportLanguage(values.lang, call);
      const file = await runJob<ExportFile>(
        call,
        call<{ jobId: string }>('roster.export', { format, forumId: values.forum ?? '', ...(lang && { lang }) }).jobId,
      );
      fs.writeFileSync(path.resolve(target), Buffer.from(file.dataBase64, 'base64'));
      out(
        { path: path.resolve(target), format, rows: file.rows, lang },
        `${file.rows} guests → ${path.resolve(target)}`,
      );
      return 0;
    }
    default:
      return null;
  }
}
