import { LanyardFailure } from '../../../shared/result.ts';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'windows-1252';

/**
 * Bytes of a CSV file → text. A BOM decides (UTF-8, UTF-16 LE/BE); otherwise strict UTF-8, and if that
 * fails, what Excel writes for "CSV" in the organiser's locale: GB18030 in a Chinese one (a superset of
 * GBK and GB2312), Windows-1252 in a German, French or English one. The two are told apart by the bytes
 * (singleByteText): read as GB18030, a German list decodes without an error into nonsense ("Jürgen
 * Müller" → "J黵gen M黮ler"), which would be printed on badges.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  const steps = decoding(bytes);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return { text: step.value.pieces.join(''), encoding: step.value.encoding };
  }
}

/**
 * decodeText a slice at a time, awaiting `between` (when it returns a pause) after each: a 10 MB list
 * decoded in one go held the door's thread ~25 ms (roster bench, the first scan after an upload). The text
 * stays in its slices' pieces (the CSV parser reads them so): joined, its 10 M characters were copied into
 * one string in one go, ~50 ms.
 */
export async function decodeTextInSlices(
  bytes: Uint8Array,
  between: () => Promise<void> | null,
): Promise<{ pieces: string[]; encoding: TextEncoding }> {
  const steps = decoding(bytes);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    const pause = between();
    if (pause !== null) await pause;
  }
}

/** Bytes decoded per step: ~1 ms. 512 KiB of a list of Chinese names took 4–12 ms a step (roster bench). */
const SLICE_BYTES = 128 * 1024;

function* decoding(bytes: Uint8Array): Generator<void, { pieces: string[]; encoding: TextEncoding }> {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { pieces: yield* strict('utf-8', bytes.subarray(3)), encoding: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { pieces: yield* strict('utf-16le', bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { pieces: yield* strict('utf-16be', bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { pieces: yield* slices('utf-8', bytes), encoding: 'utf-8' };
  } catch {
    if (singleByteText(bytes)) return { pieces: yield* strict('windows-1252', bytes), encoding: 'windows-1252' };
    return { pieces: yield* strict('gb18030', bytes), encoding: 'gb18030' };
  }
}

/**
 * Whether the non-ASCII bytes look like Windows-1252 text ("Müller", "Lefèvre", "Núñez", "Größler")
 * rather than GB18030 text, where every common character is two bytes and a name is two to four
 * characters. Each run of bytes ≥ 0x80 is evidence: an odd-length run, or two Windows-1252 letters
 * (≥ 0xC0) inside a Latin word ("öß", "úñ"), speaks for single bytes; any longer even run, or a two-byte
 * run beside a separator ("男", "A座"), for GB18030 — as does GBK's "ü" in "Müller" (A8 B9: no letters
 * in Windows-1252), so a Chinese-locale list of German names stays GB18030. The majority decides, so a
 * rare Chinese character whose second byte is ASCII, or an accented pair, does not tip a whole list.
 * Windows-1252 decodes almost any bytes, so a file with control characters (a NUL, …) or one of the five
 * bytes Windows-1252 leaves undefined is not taken for it: binary data stays unreadable.
 */
const NOT_WINDOWS_1252_TEXT = (() => {
  const table = new Uint8Array(256);
  for (let b = 0; b < 0x20; b++) if (b !== 0x09 && b !== 0x0a && b !== 0x0d) table[b] = 1;
  for (const b of [0x7f, 0x81, 0x8d, 0x8f, 0x90, 0x9d]) table[b] = 1;
  return table;
})();

export function singleByteText(bytes: Uint8Array): boolean {
  const isLetter = (b: number | undefined) => b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));
  let western = 0;
  let chinese = 0;
  let start = -1;
  for (let i = 0; i <= bytes.length; i++) {
    const byte = bytes[i];
    if (byte !== undefined && NOT_WINDOWS_1252_TEXT[byte] === 1) return false;
    if (byte !== undefined && byte >= 0x80) {
      if (start < 0) start = i;
      continue;
    }
    if (start < 0) continue;
    const length = i - start;
    // Windows-1252's accented letters are 0xC0–0xFF; a run with another byte (« ’ – °, or a GBK character
    // such as 玥, AB 68, whose second byte is ASCII) is not a word's accent.
    let letters = true;
    for (let j = start; j < i; j++) if (bytes[j]! < 0xc0) letters = false;
    const insideWord = isLetter(bytes[start - 1]) || isLetter(bytes[i]);
    if (letters && (length % 2 === 1 || (length === 2 && isLetter(bytes[start - 1]) && isLetter(bytes[i])))) western++;
    else if (length % 2 === 1 && (i === bytes.length || bytes[i]! < 0x40))
      western++; // no GB18030 lead ends so
    else if (!(length === 1 && insideWord)) chinese++; // one lone symbol inside a word: no evidence either way
    start = -1;
  }
  return western > chinese;
}

function* strict(encoding: TextEncoding, bytes: Uint8Array): Generator<void, string[]> {
  try {
    return yield* slices(encoding, bytes);
  } catch {
    throw new LanyardFailure('file_unreadable', `the file is not valid ${encoding.toUpperCase()} text`);
  }
}

/** Strict decoding, a slice per step: a character split between two slices is kept whole (`stream`). */
function* slices(encoding: TextEncoding, bytes: Uint8Array): Generator<void, string[]> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  if (bytes.length === 0) return [decoder.decode(bytes)];
  const pieces: string[] = [];
  for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
    const end = Math.min(bytes.length, at + SLICE_BYTES);
    pieces.push(decoder.decode(bytes.subarray(at, end), { stream: end < bytes.length }));
    if (end < bytes.length) yield;
  }
  return pieces;
}
