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
  presets: z.array(z.object({ id: z.string(), label: z.string(), listName: z.string() })),
  /** The preset whose columns the file has ('' if none), and the list name offered for the import. */
  detectedPreset: z.string(),
  listName: z.string(),
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
  /** The list the file belongs to, and whether it was imported as that list's complete file. */
  list: z.string(),
  replace: z.boolean(),
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Guests marked removed: on this list, missing from its complete file, on no other list, no walk-in. */
  removed: z.number().int(),
  /** The first of them by name (at most MAX_REMOVED_SHOWN), for the preview before a complete-list import. */
  removedGuests: z.array(z.object({ id: z.string(), name: z.string(), organization: z.string() })),
  /** Guests who leave this list but stay: they are on another list too, or walk-ins. */
  leftList: z.number().int(),
  errors: z.array(RowErrorSchema),
});
export type ImportSummary = z.infer<typeof ImportSummarySchema>;

export const MAX_REMOVED_SHOWN = 500;

export const RosterListSchema = z.object({
  id: z.string(),
  name: z.string(),
  guests: z.number().int(),
  lastImportAt: z.string(),
  lastFileName: z.string(),
});
export type RosterListView = z.infer<typeof RosterListSchema>;

export const RosterListsSchema = z.object({
  lists: z.array(RosterListSchema),
  /** Guests on no list (walk-ins, the demo roster, guests synced from other kiosks), not removed. */
  unlisted: z.number().int(),
});

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
