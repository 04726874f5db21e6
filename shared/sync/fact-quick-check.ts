import { z } from 'zod';
import { hasControlCharacters } from '../text/clean.ts';
import { DEVICE_ID, HLC, MAX_HLC_AHEAD_MS, MAX_HLC_BEHIND_MS, type Fact, type FactCheck } from './fact-schema.ts';

/**
 * `checkFact`'s answer for the two facts a door's day is made of (check-ins and room entries), by hand,
 * when it is sure; `null` when it is not, and the caller asks `checkFact` itself. A first pull checks
 * 100,000 facts, and zod's walk of each was a sixth of the kiosk's CPU for it (~10 µs a fact).
 *
 * Sure means: a plain object with exactly the fact's keys (and the pull's `receivedAt`, when named) and a
 * payload with exactly its type's keys, every value of its schema's type, within its schema's bounds.
 * Such a fact is at most three deep and at most ~30 KB even as `\uXXXX` escapes, so neither the depth
 * walk nor the size bound can refuse it (the test builds the largest one and measures it). Anything else — a missing key (a default to fill), an unknown key (to strip), a value
 * out of bounds, another type — goes to the schema, which says exactly what, with the same codes. It only
 * answers "ok" where the schema would, with the same object the schema would make (its keys in the schema's
 * order, unknown keys gone): tests/unit/fact-quick-check.test.ts holds the two to the same answers.
 */
export function checkFactQuickly(raw: unknown, receiverMs: number, ignoredKey?: string): FactCheck | null {
  if (!isPlainObject(raw)) return null;
  const type = raw['type'];
  const payloadKeys = type === 'forum_entry' ? ENTRY_KEYS : type === 'check_in' ? CHECK_IN_KEYS : null;
  if (payloadKeys === null || !hasExactly(raw, FACT_KEYS, ignoredKey)) return null;
  const { id, deviceId, deviceSeq, guestId, hlc, wallMs, actor, payload } = raw;
  if (
    typeof id !== 'string' ||
    !UUID.test(id) ||
    typeof deviceId !== 'string' ||
    !DEVICE_ID.test(deviceId) ||
    !Number.isSafeInteger(deviceSeq) ||
    (deviceSeq as number) < 1 ||
    !isText(guestId, 200) ||
    guestId === '' ||
    typeof hlc !== 'string' ||
    !Number.isSafeInteger(wallMs) ||
    (wallMs as number) < 0 ||
    (wallMs as number) > 999_999_999_999_999 ||
    !isText(actor, 200) ||
    !isPlainObject(payload) ||
    !hasExactly(payload, payloadKeys)
  )
    return null;
  const clock = HLC.exec(hlc);
  if (clock === null || clock[3] !== deviceId) return null;
  const body = type === 'check_in' ? checkInPayload(payload) : entryPayload(payload);
  if (body === null) return null;
  // The clock rule, as checkFact words it.
  const hlcMs = Number(clock[1]);
  const refuse = (message: string): FactCheck => ({
    ok: false,
    code: 'event_clock_skew',
    message,
    id,
    deviceId,
    deviceSeq: deviceSeq as number,
  });
  if (hlcMs > receiverMs + MAX_HLC_AHEAD_MS)
    return refuse(`hlc ${hlc} is more than 24 h ahead of the receiver's clock`);
  if (hlcMs < receiverMs - MAX_HLC_BEHIND_MS)
    return refuse(`hlc ${hlc} is more than a year behind the receiver's clock`);
  const fact = { id, deviceId, deviceSeq, guestId, hlc, wallMs, actor, type, payload: body } as Fact;
  return { ok: true, fact };
}

/** zod's own test for `z.uuid()` (any version, nil and max), so both accept the same ids. */
const UUID = z.regexes.uuid();
const FACT_KEYS = ['id', 'deviceId', 'deviceSeq', 'type', 'guestId', 'hlc', 'wallMs', 'actor', 'payload'] as const;
const CHECK_IN_KEYS = ['door', 'method', 'code'] as const;
const ENTRY_KEYS = ['forumId', 'direction', 'admittedAnyway', 'overrides'] as const;
const METHODS: ReadonlySet<unknown> = new Set(['scan', 'search', 'walk_in']);
const OVERRIDES: ReadonlySet<unknown> = new Set(['room_full', 'assigned_elsewhere']);

function checkInPayload(p: Record<string, unknown>): Record<string, unknown> | null {
  const { door, method, code } = p;
  if (!isText(door, 200) || !METHODS.has(method) || !isText(code, 4096)) return null;
  return { door, method, code };
}

function entryPayload(p: Record<string, unknown>): Record<string, unknown> | null {
  const { forumId, direction, admittedAnyway, overrides } = p;
  if (!isText(forumId, 100) || (direction !== 'in' && direction !== 'out') || typeof admittedAnyway !== 'boolean')
    return null;
  if (!Array.isArray(overrides) || overrides.length > 2 || !overrides.every((o) => OVERRIDES.has(o))) return null;
  return { forumId, direction, admittedAnyway, overrides: [...(overrides as string[])] };
}

/** No control character and no surrogate at all: what nearly every name and id is, tested in one pass. */
const PLAIN_TEXT = /^[\u0020-\u007e\u00a0-\ud7ff\ue000-\uffff]*$/;

/** A fact's text (`text(max)` in fact-schema.ts): a string of at most `max` UTF-16 units, no control characters. */
function isText(value: unknown, max: number): value is string {
  return (
    typeof value === 'string' &&
    value.length <= max &&
    // Text with surrogates (an emoji, a rare CJK character) gets the full test, pairs and all.
    (PLAIN_TEXT.test(value) || !hasControlCharacters(value, 'line'))
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** Own enumerable keys exactly `keys` (plus `ignored`, when present). */
function hasExactly(o: Record<string, unknown>, keys: readonly string[], ignored?: string): boolean {
  let count = 0;
  for (const key in o) {
    if (!Object.hasOwn(o, key)) return false;
    if (key !== ignored) count += 1;
  }
  return count === keys.length && keys.every((key) => Object.hasOwn(o, key));
}
