import { z } from 'zod';
import { exportLanguages } from '../roster/export/labels.ts';
import { ColumnMappingSchema, exportFormats, JobStatusSchema, RosterListsSchema } from '../roster/contract-types.ts';
import { Empty, Text, type MethodSpecs } from './fields.ts';

/** Guest lists: reading a roster file, importing it, exporting attendance, and the jobs that run them. */
export const rosterMethods = {
  /** Starts reading a roster file (CSV or XLSX, ≤ 32 MB); the job's result is a RosterPreview. */
  'roster.upload': {
    input: z.object({ fileName: Text(255).min(1), dataBase64: z.string().max(60_000_000) }).strict(),
    output: z.object({ jobId: z.string() }),
  },
  'roster.presetMapping': {
    input: z.object({ uploadId: Text(100), preset: Text(50) }).strict(),
    output: z.object({ mapping: ColumnMappingSchema }),
  },
  /**
   * Starts an import (or a dry run) of an uploaded file into a guest list; the job's result is an
   * ImportSummary. `list` defaults to the name the preview offered; `replace`: the file is the list's
   * complete file, so its members missing from it leave the list (shared/roster/lists.ts).
   */
  'roster.import': {
    input: z
      .object({
        uploadId: Text(100),
        mapping: ColumnMappingSchema,
        dryRun: z.boolean(),
        list: Text(100).optional(),
        replace: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ jobId: z.string() }),
  },
  /** The guest lists with their counts and last import. */
  'roster.lists': { input: Empty, output: RosterListsSchema },
  /** Starts an attendance export; the job's result is an ExportFile. forumId '' = every guest. */
  'roster.export': {
    // lang: headers, sheets and forum names in the staff's language; absent, the English file with forum ids.
    input: z
      .object({ format: z.enum(exportFormats), forumId: Text(100), lang: z.enum(exportLanguages).optional() })
      .strict(),
    output: z.object({ jobId: z.string() }),
  },
  'jobs.get': { input: z.object({ jobId: Text(100) }).strict(), output: JobStatusSchema },
  'jobs.cancel': { input: z.object({ jobId: Text(100) }).strict(), output: JobStatusSchema },
} as const satisfies MethodSpecs;
