import { z } from 'zod';
import { errorCodes } from './result.ts';

/** Backups, restore and closing the event on a kiosk: what the screens and the CLI see. */
export const BackupInfoSchema = z.object({
  file: z.string(),
  at: z.string(),
  bytes: z.number().int(),
  ok: z.boolean(),
});
export type BackupInfo = z.infer<typeof BackupInfoSchema>;

export const BackupStatusSchema = z.object({
  folder: z.string(),
  intervalMinutes: z.number().int(),
  keep: z.number().int(),
  /** The last backups this kiosk made, newest first. */
  backups: z.array(BackupInfoSchema),
  running: z.boolean(),
  /** Whether rolling backups run (the app; not a one-off CLI command). */
  automatic: z.boolean(),
  lastError: z.object({ code: z.enum(errorCodes), message: z.string() }).nullable(),
});
export type BackupStatus = z.infer<typeof BackupStatusSchema>;

export const BackupSettingsSchema = z
  .object({
    /** '' = the default folder inside the data directory. */
    folder: z.string().max(1000),
    intervalMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    keep: z.number().int().min(1).max(500),
  })
  .strict();

/** What closing the event would lose, and whether it may go ahead. */
export const CloseCheckSchema = z.object({
  eventId: z.string().nullable(),
  paired: z.boolean(),
  serverUrl: z.string(),
  /** Events this kiosk made. */
  ownEvents: z.number().int(),
  /** Of those, not yet acknowledged by the server (all of them on a kiosk that never paired). */
  unsynced: z.number().int(),
  /** When the attendance bundle was last exported ('' = never), and whether that was after the last event. */
  bundleExportedAt: z.string(),
  exportedAfterLastEvent: z.boolean(),
  guests: z.number().int(),
  backups: z.number().int(),
  /**
   * The venue hub's data folder (DIR/hub/) when this kiosk ran one, else ''. Closing keeps it: it may hold
   * the only server copy of other doors' check-ins (a hub not linked, or not relayed yet).
   */
  hubData: z.string(),
  canClose: z.boolean(),
});
export type CloseCheck = z.infer<typeof CloseCheckSchema>;
