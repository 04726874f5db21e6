/**
 * Text folding for search: what door staff type must find what the roster holds, whatever the script,
 * accents or keyboard. Runtime-neutral (no Intl collators that differ between Node and Chromium).
 */

// Letters that Unicode decomposition does not split into base + mark.
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
};

const GERMAN_UMLAUTS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue' };

const HAN = /\p{Script=Han}/u;
const COMBINING_MARKS = /\p{M}+/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

function replaceSpecial(text: string, table: Record<string, string>): string {
  let out = '';
  for (const ch of text) out += table[ch] ?? ch;
  return out;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ASCII_NOT_WORD = /[^a-z0-9]+/g;

// Organisations and family names repeat across a roster; folding each distinct string once makes large
// imports markedly faster. Bounded, so memory stays flat on any input.
const FOLD_CACHE_LIMIT = 100_000;
const foldCache = new Map<string, string>();

/** Lower-case, strip accents (José → jose, Müller → muller, ß → ss), punctuation to spaces. */
export function fold(text: string): string {
  // Most keys are plain ASCII (emails, codes, transcriptions): skip Unicode normalisation for them.
  if (PRINTABLE_ASCII.test(text)) return text.toLowerCase().replace(ASCII_NOT_WORD, ' ').trim();
  const cached = foldCache.get(text);
  if (cached !== undefined) return cached;
  const folded = foldUnicode(text);
  if (foldCache.size >= FOLD_CACHE_LIMIT) foldCache.clear();
  foldCache.set(text, folded);
  return folded;
}

function foldUnicode(text: string): string {
  const lowered = replaceSpecial(text.normalize('NFKC').toLowerCase(), SPECIAL_LETTERS);
  return lowered.normalize('NFD').replace(COMBINING_MARKS, '').replace(NOT_WORD, ' ').trim();
}

/** The German transliteration (Müller → mueller), so both spellings of an umlaut find the guest. */
export function foldGerman(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return fold(text);
  return fold(replaceSpecial(text.normalize('NFC').toLowerCase(), GERMAN_UMLAUTS));
}

export function tokens(folded: string): string[] {
  return folded.split(' ').filter((t) => t.length > 0);
}

export function hasHan(text: string): boolean {
  return HAN.test(text);
}
