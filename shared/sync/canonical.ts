/**
 * Canonical JSON (sorted object keys, no whitespace): the bytes an event's content hash is taken over,
 * so that the same event always hashes the same on kiosk and server whatever order its keys came in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  // Hot on the server (every pushed event is hashed): plain loops, no intermediate arrays of pairs.
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}
