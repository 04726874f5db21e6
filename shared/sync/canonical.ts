import { LanyardFailure } from '../result.ts';

/**
 * Deepest value canonical JSON walks. It recurses, so without a bound a payload nested 100,000 deep
 * overflowed the stack and the push answered 500. Facts are checked to
 * `MAX_FACT_DEPTH` (8) before they are hashed; this is the backstop for any other caller.
 */
export const MAX_CANONICAL_DEPTH = 64;

/**
 * Canonical JSON (sorted object keys, no whitespace): the bytes an event's content hash is taken over,
 * so that the same event always hashes the same on kiosk and server whatever order its keys came in.
 * Refuses (`event_too_deep`) a value nested deeper than `MAX_CANONICAL_DEPTH`.
 */
/** Object keys as JSON strings, kept once each: a fact has a dozen field names, quoted on every hash. */
const quotedKeys = new Map<string, string>();
/** Enough for every field name in use; keys beyond it (a guest edit's own field names) are quoted each time. */
const QUOTED_KEYS_KEPT = 4096;

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < QUOTED_KEYS_KEPT) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/** More distinct keys than this in one value: written by the walk below (the native path's key list is scanned per object). */
const NATIVE_MAX_KEYS = 64;

/** What `sortedPlain` answers for a value the native writers would not write as the walk does. */
const NOT_PLAIN = Symbol('not plain');

/**
 * `value` with every object's keys in sorted order — the object itself when its keys already are (no copy),
 * else a copy whose keys were inserted sorted — or NOT_PLAIN when it holds anything the native writer would
 * write otherwise than the walk (a hole, a function, a symbol, a bigint, a boxed value or other non-plain
 * object, a `__proto__` key, too deep), or a key starting with a digit: JavaScript enumerates array-index
 * keys first in numeric order ("9" before "10"), not in the string order canonical JSON wants.
 */
function sortedPlain(value: unknown, depth: number): unknown {
  if (value === null) return value;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean' || type === 'undefined') return value;
  if (type !== 'object' || depth >= MAX_CANONICAL_DEPTH) return NOT_PLAIN;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return NOT_PLAIN;
      const item: unknown = value[i];
      const sorted = sortedPlain(item, depth + 1);
      if (sorted === NOT_PLAIN) return NOT_PLAIN;
      if (sorted !== item && copy === null) copy = value.slice(0, i);
      if (copy !== null) copy.push(sorted);
    }
    return copy ?? value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return NOT_PLAIN;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let inOrder = true;
  let childCopied = false;
  const members: unknown[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const first = key.charCodeAt(0);
    if ((first >= 48 && first <= 57) || key === '__proto__') return NOT_PLAIN;
    if (i > 0 && keys[i - 1]! > key) inOrder = false;
    const member = record[key];
    const sorted = sortedPlain(member, depth + 1);
    if (sorted === NOT_PLAIN) return NOT_PLAIN;
    if (sorted !== member) childCopied = true;
    members.push(sorted);
  }
  if (inOrder && !childCopied) return value;
  const order = keys.map((_, i) => i);
  if (!inOrder) order.sort((a, b) => (keys[a]! < keys[b]! ? -1 : 1));
  const copy: Record<string, unknown> = {};
  for (const i of order) copy[keys[i]!] = members[i];
  return copy;
}

/**
 * Every own key of every object in `value` into `keys`; false if `value` holds anything the native writer
 * would write otherwise than the walk (a hole, a function, a symbol, a bigint, a boxed value or other
 * non-plain object, a `__proto__` key, too many keys, too deep).
 */
function plainKeys(value: unknown, keys: Set<string>, depth: number): boolean {
  if (value === null) return true;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean' || type === 'undefined') return true;
  if (type !== 'object' || depth >= MAX_CANONICAL_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value) || !plainKeys(value[i], keys, depth + 1)) return false;
    }
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key === '__proto__') return false;
    keys.add(key);
    if (keys.size > NATIVE_MAX_KEYS || !plainKeys(record[key], keys, depth + 1)) return false;
  }
  return true;
}

export function canonicalJson(value: unknown, depth = 0): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (depth === 0) {
    // Plain JSON data with its keys in sorted order (a copy where they are not) is canonical JSON as
    // JSON.stringify writes it without a replacer: V8's fast path, about half the CPU of a key list.
    const sorted = sortedPlain(value, 0);
    if (sorted !== NOT_PLAIN) return JSON.stringify(sorted);
    // JSON.stringify with a list of keys writes every object's members in the list's order: with all the
    // value's keys sorted, that is canonical JSON, written natively (~40% less CPU per pushed fact). Only
    // for plain JSON data, where the two agree byte for byte (tests/unit/canonical-json.test.ts); anything
    // else is walked below.
    const keys = new Set<string>();
    if (plainKeys(value, keys, 0)) return JSON.stringify(value, [...keys].sort());
  }
  if (depth >= MAX_CANONICAL_DEPTH) {
    throw new LanyardFailure('event_too_deep', `nested deeper than ${MAX_CANONICAL_DEPTH} levels`);
  }
  // Hot on the server (every pushed fact is hashed): plain loops and appends, quoted keys kept, strings
  // written directly. The bytes are those of the first version (stored hashes must keep matching): a hole
  // in an array writes nothing between its commas, an undefined member is left out.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      if (i in value) out += canonicalJson(value[i], depth + 1);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += quoteKey(key);
    out += ':';
    out += typeof v === 'string' ? JSON.stringify(v) : canonicalJson(v, depth + 1);
  }
  return `${out}}`;
}
