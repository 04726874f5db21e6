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
]);

export function takesIdempotencyKey(method: MethodName | string): boolean {
  return !READ_ONLY.has(method);
}

/** A key a client makes: 16–128 characters of [A-Za-z0-9_-] (a UUID without braces qualifies). */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{16,128}$/;
