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
export function canonicalJson(value: unknown, depth = 0): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (depth >= MAX_CANONICAL_DEPTH) {
    throw new LanyardFailure('event_too_deep', `nested deeper than ${MAX_CANONICAL_DEPTH} levels`);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, depth + 1)).join(',')}]`;
  // Hot on the server (every pushed event is hashed): plain loops, no intermediate arrays of pairs.
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJson(v, depth + 1)}`;
  }
  return `${out}}`;
}
