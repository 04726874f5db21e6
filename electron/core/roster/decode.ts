import { LanyardFailure } from '../../../shared/result.ts';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/**
 * Bytes of a CSV file → text. A BOM decides (UTF-8, UTF-16 LE/BE); otherwise strict UTF-8, and if that
 * fails, GB18030 — what Excel writes for "CSV" in a Chinese locale (a superset of GBK and GB2312).
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: strict('utf-8', bytes.subarray(3)), encoding: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: strict('utf-16le', bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: strict('utf-16be', bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: strict('gb18030', bytes), encoding: 'gb18030' };
  }
}

function strict(encoding: TextEncoding, bytes: Uint8Array): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new LanyardFailure('file_unreadable', `the file is not valid ${encoding.toUpperCase()} text`);
  }
}
