import { z } from 'zod';
import { errorCodes } from '../result.ts';
import { rosterFields } from './mapping.ts';
import { rowErrorCodes } from './records.ts';

/** Shapes of the roster import/export calls and of the results their jobs deliver. */
export const ColumnMappingSchema = z.partialRecord(z.enum(rosterFields), z.number().int().min(0).max(500));

export const RosterPreviewSchema = z.object({
  uploadId: z.string(),
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string(),
  delimiter: z.string(),
  headers: z.array(z.string()),
  sample: z.array(z.array(z.string())),
  rowCount: z.number().int(),
  mapping: ColumnMappingSchema,
  /** The mapping was remembered from an earlier file of the same shape. */
  remembered: z.boolean(),
  presets: z.array(z.object({ id: z.string(), label: z.string() })),
});
export type RosterPreview = z.infer<typeof RosterPreviewSchema>;

export const RowErrorSchema = z.object({
  row: z.number().int(),
  column: z.string(),
  code: z.enum(rowErrorCodes),
  message: z.string(),
});

export const ImportSummarySchema = z.object({
  applied: z.boolean(),
  dryRun: z.boolean(),
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  removed: z.number().int(),
  errors: z.array(RowErrorSchema),
});
export type ImportSummary = z.infer<typeof ImportSummarySchema>;

export const ExportFileSchema = z.object({
  fileName: z.string(),
  mime: z.string(),
  dataBase64: z.string(),
  rows: z.number().int(),
});
export type ExportFile = z.infer<typeof ExportFileSchema>;

export const JobStatusSchema = z.object({
  id: z.string(),
  kind: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  phase: z.string(),
  done: z.number(),
  total: z.number(),
  result: z.unknown(),
  error: z.object({ code: z.enum(errorCodes), message: z.string() }).nullable(),
});
export type JobStatusView = z.infer<typeof JobStatusSchema>;

export const exportFormats = ['csv', 'xlsx', 'json', 'bundle'] as const;
