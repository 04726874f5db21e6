import { z } from 'zod';
import { EventInfoSchema } from '../domain.ts';
import { BackupSettingsSchema, BackupStatusSchema, CloseCheckSchema } from '../backup.ts';
import { ConflictListSchema, SyncStatusSchema } from '../sync/status.ts';
import { Empty, PassphraseSchema, Text, type MethodSpecs } from './fields.ts';

/** Keeping the event safe: sync with the server, hand-off without one, backups, closing the event. */
export const operationMethods = {
  'sync.status': { input: Empty, output: SyncStatusSchema },
  /** Starts pairing in the background; `sync.status` turns to online, or carries the error. */
  'sync.pair': {
    input: z.object({ url: z.url({ protocol: /^https?$/ }).max(500), code: Text(64) }).strict(),
    output: SyncStatusSchema,
  },
  /** Asks for a sync round now (the loop also runs on its own). */
  'sync.now': { input: Empty, output: SyncStatusSchema },
  'sync.conflicts': { input: Empty, output: ConflictListSchema },
  'sync.markReviewed': {
    input: z.object({ kind: z.enum(['duplicate', 'forum']), guestId: Text(200) }).strict(),
    output: ConflictListSchema,
  },
  /**
   * Hand-off without a server: the event set-up file for another kiosk, as JSON text. Its secrets
   * (the event's code secrets, a signing key made for the receiving kiosk) are sealed with the passphrase.
   */
  'handoff.exportSetup': {
    input: z.object({ passphrase: PassphraseSchema }).strict(),
    output: z.object({
      fileName: z.string(),
      text: z.string(),
      sealed: z.boolean(),
      deviceKeyId: z.number().int().nullable(),
      guests: z.number().int(),
    }),
  },
  /** Makes this empty kiosk a kiosk of the file's event (welcome screen → Set up from a file). */
  'handoff.setupFromFile': {
    input: z.object({ text: z.string().max(200_000_000), passphrase: Text(200) }).strict(),
    output: z.object({ event: EventInfoSchema, guests: z.number().int(), canSign: z.boolean() }),
  },
  'backups.status': { input: Empty, output: BackupStatusSchema },
  'backups.configure': { input: BackupSettingsSchema, output: BackupStatusSchema },
  /** A backup now, as a job (its result is the BackupInfo). */
  'backups.now': { input: Empty, output: z.object({ jobId: z.string() }) },
  /** What closing the event would lose (not on the server, not exported). */
  'event.closeCheck': { input: Empty, output: CloseCheckSchema },
  /**
   * Closes the event on this kiosk: deletes the database, its WAL, the backups it made, keys and the sync
   * token; never the venue hub's data folder. Refused with unsynced_events unless everything is on the server or in a bundle exported after
   * the last event (force: the CLI's --force).
   */
  'event.close': {
    input: z.object({ force: z.boolean() }).strict(),
    /** hubData: the venue hub's data folder, kept (CloseCheck.hubData); '' when there is none. */
    output: z.object({ closed: z.literal(true), removedFiles: z.number().int(), hubData: z.string() }),
  },
} as const satisfies MethodSpecs;
