import type { MethodName } from './contract.ts';

/**
 * Calls that only read: a retry of one is harmless, so they take no idempotency key. Every other method
 * changes something, and a client may send an `Idempotency-Key` with it (the loopback host's header; the
 * renderer sends a fresh one per call and reuses it when it retries after a lost answer).
 */
const READ_ONLY = new Set<string>([
  'app.status',
  'guests.search',
  'guests.get',
  'checkins.recent',
  'stats.get',
  'roster.lists',
  'roster.presetMapping',
  'jobs.get',
  'codes.verify',
  'codes.policy',
  'badges.select',
  'badges.settings',
  'keys.list',
  'forums.list',
  'forums.seats',
  'sync.status',
  'sync.conflicts',
  'hub.status',
  'staff.session',
  'staff.list',
  'backups.status',
  'event.closeCheck',
  'selfService.status',
]);

/**
 * PIN entries never run inside the idempotency transaction: it rolls a refused call back, and a wrong
 * PIN's refusal must still count towards the lockout (found when the renderer's keys reset the count).
 * Sent again after a lost answer, a PIN entry simply checks the PIN again.
 */
const PIN_ENTRIES = new Set<string>([
  'staff.signIn',
  'staff.signOut',
  'staff.elevate',
  'staff.endElevation',
  'kiosk.checkPin',
  'selfService.stop',
]);

/**
 * Closing the event deletes the very database an answer would be recorded in, so it cannot run inside that
 * record's transaction. A retry is harmless anyway: the event is gone, and closing again closes nothing.
 */
const DELETES_ITS_DATABASE = new Set<string>(['event.close']);

export function takesIdempotencyKey(method: MethodName | string): boolean {
  return !READ_ONLY.has(method) && !PIN_ENTRIES.has(method) && !DELETES_ITS_DATABASE.has(method);
}

/** A key a client makes: 16–128 characters of [A-Za-z0-9_-] (a UUID without braces qualifies). */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{16,128}$/;
