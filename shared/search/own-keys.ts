import { fold, tokens } from './fold.ts';

/**
 * The keys of what is a guest's own — codes and email — apart from the name and organisation keys
 * (keys.ts), which load pinyin-pro's dictionary (~20 MB per thread). A big import's staging worker loads
 * both since it makes the new terms' keys too (electron/core/guests/staged-guests.ts).
 */

/**
 * The search keys of one guest: every string a query may be a prefix of. Weight ranks matches
 * (lower is better): a name beats a transcription beats a code beats an organisation beats an email.
 */
export interface SearchKey {
  key: string;
  weight: number;
}

export const KEY_WEIGHT = { name: 0, pinyin: 1, code: 2, organization: 3, email: 4 } as const;

/** The key of a badge or ticket code: folded, without spaces ("CN-001" → "cn001"). */
export function codeKey(code: string): string {
  return fold(code).replace(/ /g, '');
}

/**
 * The key of an email address: folded, without punctuation ("liu.qing@example.cn" → "liuqingexamplecn").
 * A query with "@" is folded the same way (parseQuery), so one key serves both kinds of query.
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const NOT_ASCII_WORD = /[^a-z0-9]+/g;

export function emailKey(email: string): string {
  const trimmed = email.trim();
  // Plain ASCII (nearly every address): what fold gives, without its Unicode steps.
  if (PRINTABLE_ASCII.test(trimmed)) return trimmed.toLowerCase().replace(NOT_ASCII_WORD, '');
  return fold(trimmed.toLowerCase()).replace(/ /g, '');
}

/** The domain of an email address, lower-case ('' if none): "Anna@Example.org" → "example.org". */
export function emailDomain(email: string): string {
  const trimmed = email.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  return at <= 0 ? '' : trimmed.slice(at + 1);
}

/**
 * Keys for the later words of an email's local part (its start is emailKey itself), each run on into
 * the domain: "anna.muller.4@example.org" → "muller4exampleorg", so "muller.4@" finds the guest. Words
 * of digits only start no key: nobody searches for "4@…".
 */
export function emailPartKeys(email: string): string[] {
  const trimmed = email.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return [];
  // Plain ASCII (nearly every address): fold's words without its passes per part (an import's 100,000).
  const ascii = PRINTABLE_ASCII.test(trimmed);
  const local = ascii ? asciiWords(trimmed.slice(0, at)) : tokens(fold(trimmed.slice(0, at)));
  if (local.length < 2) return [];
  const domain = ascii
    ? trimmed.slice(at + 1).replace(NOT_ASCII_WORD, '')
    : tokens(fold(trimmed.slice(at + 1))).join('');
  const out = new Set<string>();
  for (let i = 1; i < local.length; i++) {
    if (/^[0-9]+$/.test(local[i]!)) continue;
    out.add(local.slice(i).join('') + domain);
  }
  return [...out];
}

/** tokens(fold(text)) of lower-case printable ASCII. */
function asciiWords(lowered: string): string[] {
  return lowered.split(NOT_ASCII_WORD).filter((word) => word.length > 0);
}

const SEARCH_FORM = /^[a-z0-9]+$/;

/**
 * Key rows of a guest's own: codes that are not in search form ("CN-001" → "cn001"), and the later
 * parts of the email ("muller4exampleorg", "exampleorg"; its start is guests.email_key).
 */
export function privateKeys(guest: { email: string; codes: readonly string[] }): SearchKey[] {
  const emailParts = emailPartKeys(guest.email).map((key) => ({ key, weight: KEY_WEIGHT.email }));
  if (guest.codes.every((code) => SEARCH_FORM.test(code))) return emailParts;
  const keys = new Set<string>();
  for (const code of guest.codes) {
    if (SEARCH_FORM.test(code)) continue; // lower-case letters and digits: its own key (most codes)
    const key = codeKey(code);
    if (key.length > 0 && key !== code) keys.add(key);
  }
  return [...keys].map((key) => ({ key, weight: KEY_WEIGHT.code }) as SearchKey).concat(emailParts);
}
