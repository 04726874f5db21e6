import { z } from 'zod';
import { CheckinSchema } from '../domain.ts';

/** What the door screen shows about sync: always visible, never blocking. */
export const syncStates = ['unpaired', 'pairing', 'syncing', 'online', 'offline', 'reauth'] as const;
export type SyncState = (typeof syncStates)[number];

export const SyncStatusSchema = z.object({
  state: z.enum(syncStates),
  paired: z.boolean(),
  serverUrl: z.string(),
  eventId: z.string(),
  /** When the last sync round completed (ISO), or null. */
  lastSyncAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  /** Why the last attempt failed ('' code when it did not). */
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** This kiosk's facts the server has not acknowledged yet. */
  pending: z.number().int(),
  /** Facts the server refused (kept here, listed on the Conflicts screen). */
  rejected: z.number().int(),
  /** Pulled facts this kiosk could not apply (parked, listed on the Conflicts screen). */
  parked: z.number().int(),
  /** Server clock minus ours, estimated at the last sync; null before the first one. */
  clockOffsetMs: z.number().nullable(),
  clockWarning: z.boolean(),
  /** Open (not yet reviewed) duplicates and forum conflicts. */
  openConflicts: z.number().int(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export const DuplicateSchema = z.object({
  guestId: z.string(),
  name: z.string(),
  organization: z.string(),
  /** Every live check-in of the guest, earliest (the arrival) first. */
  checkins: z.array(CheckinSchema),
  reviewed: z.boolean(),
});
export type Duplicate = z.infer<typeof DuplicateSchema>;

const AssignmentSchema = z.object({
  factId: z.string(),
  forumId: z.string(),
  deviceId: z.string(),
  door: z.string(),
  at: z.string(),
});
export const ForumConflictSchema = z.object({
  guestId: z.string(),
  name: z.string(),
  winner: AssignmentSchema,
  losers: z.array(AssignmentSchema),
  reviewed: z.boolean(),
});
export type ForumConflict = z.infer<typeof ForumConflictSchema>;

export const RejectedFactSchema = z.object({
  factId: z.string(),
  type: z.string(),
  guestId: z.string(),
  reason: z.string(),
  at: z.string(),
});

/** A pulled fact that failed its schema here: parked, not applied; the pull went on. */
export const ParkedFactSchema = z.object({
  factId: z.string(),
  deviceId: z.string(),
  type: z.string(),
  guestId: z.string(),
  /** One of the fact reject codes (event_invalid, event_too_large, event_too_deep, event_clock_skew). */
  reason: z.string(),
  detail: z.string(),
  at: z.string(),
});
export type ParkedFact = z.infer<typeof ParkedFactSchema>;

export const ConflictListSchema = z.object({
  duplicates: z.array(DuplicateSchema),
  forumConflicts: z.array(ForumConflictSchema),
  rejected: z.array(RejectedFactSchema),
  parked: z.array(ParkedFactSchema),
});
export type ConflictList = z.infer<typeof ConflictListSchema>;

/** `lanyard sync --json`: the scriptable path. */
export const SyncReportSchema = z.object({
  pushed: z.number().int(),
  pulled: z.number().int(),
  duplicates: z.number().int(),
  conflicts: z.number().int(),
  cursor: z.string(),
});
export type SyncReport = z.infer<typeof SyncReportSchema>;
