import type { Database, Statement } from 'better-sqlite3';
import type { Guest } from '../../../shared/domain.ts';
import {
  deletionVariants,
  KEY_WEIGHT,
  parseQuery,
  TYPO_MAX_LENGTH,
  TYPO_MIN_LENGTH,
} from '../../../shared/search/keys.ts';
import type { GuestStore } from './store.ts';

/** Upper bound of a prefix range: the largest code point sorts after every continuation. */
const PREFIX_END = '\u{10FFFF}';
/** How many key rows one prefix may contribute; enough to rank well, small enough to stay in budget. */
const CANDIDATE_ROWS = 400;
/** Words beyond this many add little and cost a join each. */
const MAX_WORDS = 5;
/** Corrections tried per typed word: enough for real near-misses, bounded for the time budget. */
const MAX_CORRECTIONS = 8;
/** Typo hits rank below every exact, prefix and all-words hit. */
const TYPO_SCORE = 3000;

interface KeyRow {
  key: string;
  guest_id: string;
  weight: number;
}

/**
 * Where keys live (see search-index.ts): shared name and organisation terms, reached from the guest's
 * term columns; the guest's folded email; codes not in search form; and codes in guest_codes itself.
 * Each source is a key column, a guest id and a weight over `from`; `withGuest` also names the guest
 * row `g` (for the other-words check). CROSS JOIN fixes the join order: walk the key range in key
 * order, then look up its guests. Name terms come first: they give most rows, which bounds the rest.
 */
const SOURCES = [
  {
    from: 'term_keys k CROSS JOIN guests g ON g.name_term = k.term_id',
    withGuest: '',
    key: 'k.key',
    guest: 'g.id',
    weight: 'k.weight',
  },
  {
    from: 'term_keys k CROSS JOIN guests g ON g.org_term = k.term_id',
    withGuest: '',
    key: 'k.key',
    guest: 'g.id',
    weight: 'k.weight',
  },
  { from: 'guests g', withGuest: '', key: 'g.email_key', guest: 'g.id', weight: `${KEY_WEIGHT.email}` },
  {
    from: 'search_keys k',
    withGuest: ' CROSS JOIN guests g ON g.id = k.guest_id',
    key: 'k.key',
    guest: 'k.guest_id',
    weight: 'k.weight',
  },
  {
    from: 'guest_codes k',
    withGuest: ' CROSS JOIN guests g ON g.id = k.guest_id',
    key: 'k.code',
    guest: 'k.guest_id',
    weight: `${KEY_WEIGHT.code}`,
  },
] as const;

/** Does guest `g` have any key in [@a<n>, @b<n>)? */
const hasKey = (n: number): string => `(
  EXISTS (SELECT 1 FROM term_keys o WHERE o.term_id = g.name_term AND o.key >= @a${n} AND o.key < @b${n})
  OR EXISTS (SELECT 1 FROM term_keys o WHERE o.term_id = g.org_term AND o.key >= @a${n} AND o.key < @b${n})
  OR (g.email_key >= @a${n} AND g.email_key < @b${n})
  OR EXISTS (SELECT 1 FROM search_keys o WHERE o.guest_id = g.id AND o.key >= @a${n} AND o.key < @b${n})
  OR EXISTS (SELECT 1 FROM guest_codes o WHERE o.guest_id = g.id AND o.code >= @a${n} AND o.code < @b${n}))`;

type Params = Record<string, string | number>;

/**
 * Prefix search over the search index (folded names, pinyin, initials, organisation, email, codes).
 * Ranking, best first: exact key before prefix, then key weight (name < pinyin < code < org < email),
 * then shorter keys, then name. Cancelled and removed guests are still found (staff must see why).
 */
export class GuestSearch {
  private readonly ranges: Array<Statement<[Params], KeyRow>>;
  private readonly allWords = new Map<number, Array<Statement<[Params], { guest_id: string; weight: number }>>>();
  private readonly db: Database;
  private readonly corrections = new Map<number, Statement<string[], { word: string }>>();

  private readonly guests: GuestStore;

  constructor(db: Database, guests: GuestStore) {
    this.guests = guests;
    const range = (s: (typeof SOURCES)[number]) =>
      `SELECT * FROM (SELECT ${s.key} AS key, ${s.guest} AS guest_id, ${s.weight} AS weight FROM ${s.from}
         WHERE ${s.key} >= @a0 AND ${s.key} < @b0 ORDER BY ${s.key} LIMIT @limit)`;
    // Two statements, not five: each call costs tens of µs, which the one-word lookups would feel.
    const [names, ...rest] = SOURCES;
    this.ranges = [db.prepare(range(names)), db.prepare(rest.map(range).join(' UNION ALL '))];
    this.db = db;
  }

  /**
   * Guests with a key starting with the anchor word and, for every other word, some key starting with
   * it: one statement per source and word count, so SQLite walks the indexes instead of us calling per
   * candidate.
   */
  private allWordsStatements(others: number): Array<Statement<[Params], { guest_id: string; weight: number }>> {
    let stmts = this.allWords.get(others);
    if (stmts === undefined) {
      const filters = Array.from({ length: others }, (_, i) => `AND ${hasKey(i + 1)}`).join(' ');
      stmts = SOURCES.map((s) =>
        this.db.prepare(
          `SELECT g.id AS guest_id, min(${s.weight}) AS weight FROM ${s.from}${s.withGuest}
           WHERE ${s.key} >= @a0 AND ${s.key} < @b0 ${filters}
           GROUP BY g.id LIMIT ${CANDIDATE_ROWS}`,
        ),
      );
      this.allWords.set(others, stmts);
    }
    return stmts;
  }

  /**
   * The first `limit` key rows of all sources in key order, as one index over every key would give.
   * Once `limit` rows are in hand, later sources only need keys up to the last of them: for a short
   * prefix ("m") that keeps the other sources from reading hundreds of rows that cannot make the cut.
   */
  private prefixRows(prefix: string, limit: number): KeyRow[] {
    const byKey = (a: KeyRow, b: KeyRow) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.guest_id < b.guest_id ? -1 : 1);
    let rows: KeyRow[] = [];
    let end = prefix + PREFIX_END;
    for (const stmt of this.ranges) {
      rows.push(...stmt.all({ a0: prefix, b0: end, limit }));
      if (rows.length >= limit) {
        rows = rows.sort(byKey).slice(0, limit);
        // Keys up to and including the last one kept. One upper bound, not a second `<=` condition:
        // SQLite bounds the index range by one of them and would filter the rest of the range row by row.
        end = `${rows[limit - 1]!.key}\u0000`;
      }
    }
    return rows.sort(byKey);
  }

  /**
   * Words of the index within one edit of `word` (SymSpell: they share a deletion variant), other than
   * the word itself. typo_keys maps each variant of a 5–24-letter name or organisation word to it.
   */
  private correctionsOf(word: string): string[] {
    if (word.length < TYPO_MIN_LENGTH || word.length > TYPO_MAX_LENGTH + 1 || !/^[a-z0-9]+$/.test(word)) return [];
    const variants = deletionVariants(word);
    let stmt = this.corrections.get(variants.length);
    if (stmt === undefined) {
      const marks = variants.map(() => '?').join(', ');
      stmt = this.db.prepare(`SELECT DISTINCT word FROM typo_keys WHERE variant IN (${marks}) LIMIT 64`);
      this.corrections.set(variants.length, stmt);
    }
    return stmt
      .all(...variants)
      .map((r) => r.word)
      .filter((w) => w !== word && withinOneEdit(w, word))
      .slice(0, MAX_CORRECTIONS);
  }

  /**
   * Guests with a key exactly `words[0]` (one word), or (several) with the words joined as a key prefix
   * ("helvetiamaterials", as step 1 of search) and, if those are fewer than `limit`, every word a prefix
   * of some key: the all-words statement walks every guest of a common anchor word, so it runs only
   * when the cheap lookup leaves room.
   */
  private guestsWithWords(words: string[], limit: number, consider: (guestId: string, score: number) => void): void {
    const compact = words.join('');
    const found = new Set<string>();
    for (const row of this.prefixRows(compact, CANDIDATE_ROWS)) {
      if (words.length === 1 && row.key !== compact) continue;
      consider(row.guest_id, TYPO_SCORE + row.weight * 100 + (row.key === compact ? 0 : 50));
      found.add(row.guest_id);
    }
    if (words.length === 1 || found.size >= limit || !this.everyWordIsAKeyPrefix(words)) return;
    this.guestsWithAllWords(words, TYPO_SCORE + 100, consider);
  }

  /**
   * Guests with a key starting with each of `words`: candidates from the most selective word (longest),
   * kept only if every other word is a prefix of one of the guest's keys; scored `base` + key weight.
   */
  private guestsWithAllWords(
    words: readonly string[],
    base: number,
    consider: (guestId: string, score: number) => void,
  ): void {
    const [anchor, ...others] = [...words].sort((a, b) => b.length - a.length).slice(0, MAX_WORDS);
    const params: Params = {};
    [anchor!, ...others].forEach((w, i) => {
      params[`a${i}`] = w;
      params[`b${i}`] = w + PREFIX_END;
    });
    for (const stmt of this.allWordsStatements(others.length))
      for (const row of stmt.all(params)) consider(row.guest_id, base + row.weight * 100);
  }

  /**
   * Whether some key starts with each word (one index probe per source and word). A word no key starts
   * with ("matrials") means no guest has every word: the all-words statement would walk every guest of
   * the other word (all of "helvetia") to find none — 160–470 ms at 250,000 guests.
   */
  private everyWordIsAKeyPrefix(words: readonly string[]): boolean {
    return words.slice(0, MAX_WORDS).every((w) => this.prefixRows(w, 1).length > 0);
  }

  search(query: string, limit: number): Guest[] {
    const parsed = parseQuery(query);
    if (parsed.compact.length === 0) return [];
    const scores = new Map<string, number>();
    const consider = (guestId: string, score: number): void => {
      const current = scores.get(guestId);
      if (current === undefined || score < current) scores.set(guestId, score);
    };
    const score = (row: KeyRow, typed: string): number =>
      (row.key === typed ? 0 : 1000) + row.weight * 100 + Math.min(row.key.length - typed.length, 99);

    // 1. The whole query as one prefix: covers one word, and names typed with or without spaces.
    for (const row of this.prefixRows(parsed.compact, CANDIDATE_ROWS))
      consider(row.guest_id, score(row, parsed.compact));

    // 2. Several words in any order ("qing liu", "müller siemens"): candidates from the most selective
    //    word (longest), kept only if every other word is a prefix of one of the guest's keys.
    if (parsed.tokens.length > 1 && scores.size < limit && this.everyWordIsAKeyPrefix(parsed.tokens)) {
      this.guestsWithAllWords(parsed.tokens, 2000, consider);
    }

    // 3. One typo in a word of 5+ letters ("mueler", "schnieder"), when the hits so far leave room:
    //    each such word replaced by the index words one edit away, ranked below every hit above.
    if (scores.size < limit) {
      const words = parsed.tokens.slice(0, MAX_WORDS);
      words.forEach((word, i) => {
        for (const correction of this.correctionsOf(word)) {
          const corrected = [...words];
          corrected[i] = correction;
          this.guestsWithWords(corrected, limit, consider);
        }
      });
    }

    const ranked = [...scores].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
    return this.guests.getMany(ranked.map(([guestId]) => guestId));
  }
}

/** Levenshtein distance ≤ 1, or one swap of neighbours (what SymSpell's shared deletion also admits). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
