/** The text of a pairing QR: `lanyard-pair:<server url>#<code>`, e.g. `lanyard-pair:http://10.0.0.5:8080#123456789012`. */
export const PAIRING_QR_PREFIX = 'lanyard-pair:';

/** Splits a pairing QR into the server URL and the code; null for anything else (a badge, a malformed text). */
export function parsePairingQr(text: string): { url: string; code: string } | null {
  const trimmed = text.trim();
  if (!trimmed.toLowerCase().startsWith(PAIRING_QR_PREFIX)) return null;
  const rest = trimmed.slice(PAIRING_QR_PREFIX.length);
  const hash = rest.lastIndexOf('#');
  if (hash <= 0) return null;
  const url = rest.slice(0, hash).trim();
  const code = rest.slice(hash + 1).trim();
  if (code === '' || !/^https?:\/\/[^\s/]+/i.test(url)) return null;
  return { url, code };
}
