import fs from 'node:fs';
import path from 'node:path';
import type { ExportFile, ImportSummary, RosterPreview } from '../../shared/roster/contract-types.ts';
import type { ColumnMapping } from '../../shared/roster/mapping.ts';
import { runJob, usage, type CliContext } from './context.ts';

/** `lanyard import | export`. Returns null for other commands. */
export async function runRosterCommand(
  command: string,
  { values, args, call, out }: CliContext,
): Promise<number | null> {
  switch (command) {
    case 'import': {
      const file = args[0] ?? usage('import needs a FILE');
      const bytes = fs.readFileSync(path.resolve(file));
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
      const summary = await runJob<ImportSummary>(
        call,
        call<{ jobId: string }>('roster.import', { uploadId: preview.uploadId, mapping, dryRun: values['dry-run'] })
          .jobId,
      );
      const { added, updated, unchanged, removed, errors } = summary;
      const lines = errors.map((e) => `row ${e.row}, ${e.column}: ${e.code}: ${e.message}`);
      out(
        { added, updated, unchanged, removed, errors, applied: summary.applied },
        `${summary.applied ? 'Imported' : values['dry-run'] && errors.length === 0 ? 'Dry run' : 'NOT imported'}: ${added} added, ${updated} updated, ${unchanged} unchanged, ${removed} removed${lines.length ? `\n${lines.join('\n')}` : ''}`,
      );
      return errors.length > 0 ? 2 : 0;
    }
    case 'export': {
      const format = values.format ?? usage('export needs --format csv|xlsx|json|bundle');
      const target = values.out ?? usage('export needs --out FILE');
      const file = await runJob<ExportFile>(
        call,
        call<{ jobId: string }>('roster.export', { format, forumId: values.forum ?? '' }).jobId,
      );
      fs.writeFileSync(path.resolve(target), Buffer.from(file.dataBase64, 'base64'));
      out({ path: path.resolve(target), format, rows: file.rows }, `${file.rows} guests → ${path.resolve(target)}`);
      return 0;
    }
    default:
      return null;
  }
}
