/**
 * Bounded walks over untrusted JSON values (a push body, a pulled or pushed fact): how deep they nest and
 * an upper bound of their JSON's size, each without writing the JSON out or overflowing the stack. The
 * fact checks (fact-schema.ts) and the server's body check (server/app.ts) use them.
 */

/**
 * True when `value` nests objects/arrays deeper than `max`. It recurses, but never below depth `max + 1`
 * (it answers there), so a payload nested 100,000 deep cannot overflow the stack; and it allocates nothing
 * (every push body and every fact is walked by it).
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  return deeperThan(value, 1, max);
}

function deeperThan(node: unknown, depth: number, max: number): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (depth > max) return true;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) if (deeperThan(node[i], depth + 1, max)) return true;
    return false;
  }
  const record = node as Record<string, unknown>;
  for (const key in record) if (Object.hasOwn(record, key) && deeperThan(record[key], depth + 1, max)) return true;
  return false;
}

/** The longest JSON of any scalar but a string: a number's (see jsonBytesAtMost). */
const LONGEST_SCALAR_JSON = 25;

/**
 * At least the UTF-8 bytes of `JSON.stringify(value)`, counted without writing it out: a string is at
 * most 6 bytes per UTF-16 unit (`\uXXXX`) plus its quotes, any other scalar at most 25 (a number's longest
 * form: "-0.0000011561753194746641", a minus, six zeros and 17 digits; 24 let a fact of 2,521 such numbers,
 * 65.5 KB, pass as under 64 KB without being measured). An object with its own `toJSON` cannot be bounded
 * (Infinity). Only call it on a value whose depth was checked: it recurses.
 */
export function jsonBytesAtMost(value: unknown): number {
  if (typeof value === 'string') return 6 * value.length + 2;
  if (value === null || typeof value !== 'object') return LONGEST_SCALAR_JSON;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return Infinity;
  let bytes = 2;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) bytes += jsonBytesAtMost(value[i]) + 1;
    return bytes;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (Object.hasOwn(record, key)) bytes += 6 * key.length + 3 + jsonBytesAtMost(record[key]) + 1;
  }
  return bytes;
}

/** Bytes of `text` as UTF-8, without encoding it. */
export function utf8Bytes(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A surrogate pair is 4 bytes: 2 code units, 1 more byte each.
    if (c >= 0xd800 && c <= 0xdfff) bytes += 1;
    else if (c >= 0x800) bytes += 2;
    else if (c >= 0x80) bytes += 1;
  }
  return bytes;
}
