import { pinyin } from 'pinyin-pro';
import { fold, foldGerman, hasHan, tokens } from './fold.ts';
import type { NameParts } from '../domain.ts';
import { codeKey, emailDomain, emailKey, emailPartKeys, KEY_WEIGHT, type SearchKey } from './own-keys.ts';

// The keys of a guest's own (codes, email) live in own-keys.ts, which loads without pinyin.
export { codeKey, emailDomain, emailKey, emailPartKeys, KEY_WEIGHT, type SearchKey } from './own-keys.ts';

export interface SearchableGuest extends NameParts {
  displayName: string;
  organization: string;
  email: string;
  codes: readonly string[];
}

// Rosters repeat organisations and family names a lot; converting each string once makes imports of
// 100,000 rows several times faster. Bounded so a huge import cannot grow it without limit.
const PINYIN_CACHE_LIMIT = 50_000;
const pinyinCache = new Map<string, string[]>();

/** Pinyin syllables of a Han string, one per character; non-Han runs are kept as folded tokens. */
export function pinyinSyllables(text: string): string[] {
  const cached = pinyinCache.get(text);
  if (cached !== undefined) return cached;
  const out: string[] = [];
  for (const part of pinyin(text, { toneType: 'none', type: 'array', v: true })) {
    out.push(...tokens(fold(part)));
  }
  if (pinyinCache.size >= PINYIN_CACHE_LIMIT) pinyinCache.clear();
  pinyinCache.set(text, out);
  return out;
}

function addNameVariants(add: (key: string, weight: number) => void, words: string[], weight: number): void {
  if (words.length === 0) return;
  for (const w of words) add(w, weight);
  // Either name order, typed with or without spaces: "liu qing", "liuqing", "qingliu", "annamuller".
  add(words.join(''), weight);
  if (words.length > 1) add([...words].reverse().join(''), weight);
}

/** Collects keys, keeping the best (lowest) weight of a key that several fields give. */
function keyCollector(): { add: (key: string, weight: number) => void; keys: () => SearchKey[] } {
  const best = new Map<string, number>();
  return {
    add(key, weight) {
      if (key.length === 0) return;
      const current = best.get(key);
      if (current === undefined || weight < current) best.set(key, weight);
    },
    keys: () => [...best].map(([key, weight]) => ({ key, weight })),
  };
}

/**
 * The distinct names of a guest, normalised. The same name often appears in several fields (display =
 * native = family + given): it is keyed once. Guests with the same names share their name keys.
 */
export function guestNames(guest: SearchableGuest): string[] {
  const names = new Set(
    [guest.displayName, guest.nativeName, guest.latinName, `${guest.familyName} ${guest.givenName}`]
      .map((n) => (hasHan(n) ? n.replace(/\s+/g, '') : n.trim()))
      .filter((n) => n.length > 0),
  );
  return [...names];
}

/** Keys of a set of names (see guestNames): folded words, both name orders, pinyin and initials. */
export function nameKeys(names: readonly string[]): SearchKey[] {
  const { add, keys } = keyCollector();
  for (const name of names) {
    addNameVariants(add, tokens(fold(name)), KEY_WEIGHT.name);
    addNameVariants(add, tokens(foldGerman(name)), KEY_WEIGHT.name);
    if (hasHan(name)) {
      const syllables = pinyinSyllables(name);
      addNameVariants(add, syllables, KEY_WEIGHT.pinyin);
      // Initials: 刘青 → "lq" (and "ql" for the other order).
      const initials = syllables.map((s) => s[0]!);
      add(initials.join(''), KEY_WEIGHT.pinyin);
      if (initials.length > 1) add([...initials].reverse().join(''), KEY_WEIGHT.pinyin);
      // Each Han character alone, so typing the given name finds the guest too.
      for (const ch of name) if (hasHan(ch)) add(ch, KEY_WEIGHT.name);
      for (const suffix of hanSuffixes(fold(name))) add(suffix, KEY_WEIGHT.name);
    }
  }
  return keys();
}

const HAN_RUN = /\p{Script=Han}{3,}/gu;

/**
 * Every suffix of 2+ characters of each Han run (beyond the run itself): a prefix search over them finds
 * any Han substring of 2+ characters ("长三角" in 上海长三角技术创新研究院). Han text has no spaces, so a
 * word in the middle of an organisation is only reachable this way. Runs are short (names 2–4,
 * organisations ~10–20 characters) and organisation terms are shared, so this costs little.
 */
export function hanSuffixes(folded: string): string[] {
  const out: string[] = [];
  for (const match of folded.matchAll(HAN_RUN)) {
    const run = [...match[0]];
    for (let i = 1; i <= run.length - 2; i++) out.push(run.slice(i).join(''));
  }
  return out;
}

/** Keys of an organisation: its folded words, all of them joined, German umlauts, pinyin. */
export function organizationKeys(organization: string): SearchKey[] {
  const { add, keys } = keyCollector();
  if (organization.trim().length > 0) {
    const orgWords = tokens(fold(organization));
    for (const w of orgWords) add(w, KEY_WEIGHT.organization);
    add(orgWords.join(''), KEY_WEIGHT.organization);
    for (const w of tokens(foldGerman(organization))) add(w, KEY_WEIGHT.organization);
    if (hasHan(organization)) {
      add(pinyinSyllables(organization).join(''), KEY_WEIGHT.organization);
      for (const suffix of hanSuffixes(fold(organization))) add(suffix, KEY_WEIGHT.organization);
    }
  }
  return keys();
}

/**
 * Keys of an email domain: from each label on but the top-level one ("ise.example.de" → "iseexamplede",
 * "examplede"), so "example.org" finds the guest. Stored with the organisation's term (search-index.ts):
 * a roster repeats a few domains, so they cost a key per distinct domain, not a row per guest.
 */
export function domainKeys(domain: string): string[] {
  const labels = tokens(fold(domain));
  const out: string[] = [];
  for (let i = 0; i < labels.length - 1; i++) out.push(labels.slice(i).join(''));
  return out;
}

/** Words this short get no typo tolerance: one edit in them changes too much. */
export const TYPO_MIN_LENGTH = 5;
/** Longer keys (joined organisation words) would add many variants and are rarely typed whole. */
export const TYPO_MAX_LENGTH = 24;
const LATIN_WORD = /^[a-z0-9]+$/;

/**
 * The word and every single-character deletion of it (SymSpell): two words within one edit
 * (insertion, deletion, substitution, adjacent swap) share at least one of these.
 */
export function deletionVariants(word: string): string[] {
  const out = new Set<string>([word]);
  for (let i = 0; i < word.length; i++) out.add(word.slice(0, i) + word.slice(i + 1));
  return [...out];
}

/** Whether typo search can correct to this key: Latin, 5–24 letters. */
export function isTypoWord(key: string): boolean {
  return key.length >= TYPO_MIN_LENGTH && key.length <= TYPO_MAX_LENGTH && LATIN_WORD.test(key);
}

/**
 * The words of names or an organisation that typo search corrects to: each word as written (folded, and
 * with German umlauts spelt out), and a Han text's pinyin run together in its own order ("liuqing" for
 * 刘青, typed without spaces). Not the other joined keys (either order, all words run together, email
 * domains): they are one per name, so a list of mostly different names gave each guest 50–80 deletion
 * variants of them, ~99% of the typo index — 3 M rows for 100,000 guests (bench `distinctNames`) — for
 * a typo in a name typed without its spaces. Typing the words is what the door does; a typo in one of
 * them is found (search.ts).
 */
export function typoWordsOf(texts: readonly string[]): string[] {
  const out = new Set<string>();
  for (const text of texts) {
    for (const word of [...tokens(fold(text)), ...tokens(foldGerman(text))]) if (isTypoWord(word)) out.add(word);
    if (hasHan(text)) {
      const joined = pinyinSyllables(text).join('');
      if (isTypoWord(joined)) out.add(joined);
    }
  }
  return [...out];
}

/** Every key of a guest, each with its best weight (the union of the parts above). */
export function searchKeys(guest: SearchableGuest): SearchKey[] {
  const { add, keys } = keyCollector();
  for (const k of nameKeys(guestNames(guest))) add(k.key, k.weight);
  for (const code of guest.codes) add(codeKey(code), KEY_WEIGHT.code);
  for (const k of organizationKeys(guest.organization)) add(k.key, k.weight);
  add(emailKey(guest.email), KEY_WEIGHT.email);
  for (const key of emailPartKeys(guest.email)) add(key, KEY_WEIGHT.email);
  for (const key of domainKeys(emailDomain(guest.email))) add(key, KEY_WEIGHT.email);
  return keys();
}

/** How a query is matched: its folded tokens, and the tokens joined (a prefix of a joined-name key). */
export interface ParsedQuery {
  tokens: string[];
  compact: string;
}

export function parseQuery(query: string): ParsedQuery {
  const raw = query.trim().toLowerCase();
  // An email address is one word, however it is punctuated: matched against the folded email key.
  if (raw.includes('@')) {
    const compact = tokens(fold(raw)).join('');
    return { tokens: compact.length > 0 ? [compact] : [], compact };
  }
  const words = tokens(fold(query));
  return { tokens: words, compact: words.join('') };
}
