import type { Database, Statement } from 'better-sqlite3';
import type { Guest } from '../../shared/domain.ts';
import { parseQuery } from '../../shared/search/keys.ts';
import type { GuestStore } from './guests.ts';

/** Upper bound of a prefix range: the largest code point sorts after every continuation. */
const PREFIX_END = '\u{10FFFF}';
/** How many key rows one prefix may contribute; enough to rank well, small enough to stay in budget. */
const CANDIDATE_ROWS = 400;
/** Words beyond this many add little and cost a join each. */
const MAX_WORDS = 5;

interface KeyRow {
  key: string;
  guest_id: string;
  weight: number;
}

/**
 * Prefix search over the `search_keys` index (folded names, pinyin, initials, organisation, email,
 * codes). Ranking, best first: exact key before prefix, then key weight (name < pinyin < code < org <
 * email), then shorter keys, then name. Cancelled and removed guests are still found (staff must see why).
 */
export class GuestSearch {
  private readonly range: Statement<[string, string, number], KeyRow>;
  private readonly allWords = new Map<number, Statement<string[], { guest_id: string; weight: number }>>();
  private readonly db: Database;

  private readonly guests: GuestStore;

  constructor(db: Database, guests: GuestStore) {
    this.guests = guests;
    this.range = db.prepare(
      `SELECT key, guest_id, weight FROM search_keys WHERE key >= ? AND key < ? ORDER BY key LIMIT ?`,
    );
    this.db = db;
  }

  /**
   * Guests with a key starting with the anchor word and, for every other word, some key starting with
   * it: one statement per word count, so SQLite walks the indexes instead of us calling per candidate.
   */
  private allWordsStatement(others: number): Statement<string[], { guest_id: string; weight: number }> {
    let stmt = this.allWords.get(others);
    if (stmt === undefined) {
      const exists = Array.from(
        { length: others },
        () => `AND EXISTS (SELECT 1 FROM search_keys o WHERE o.guest_id = s.guest_id AND o.key >= ? AND o.key < ?)`,
      ).join(' ');
      stmt = this.db.prepare(
        `SELECT s.guest_id, min(s.weight) AS weight FROM search_keys s
         WHERE s.key >= ? AND s.key < ? ${exists}
         GROUP BY s.guest_id LIMIT ${CANDIDATE_ROWS}`,
      );
      this.allWords.set(others, stmt);
    }
    return stmt;
  }

  private prefixRows(prefix: string, limit: number): KeyRow[] {
    return this.range.all(prefix, prefix + PREFIX_END, limit);
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
    if (parsed.tokens.length > 1 && scores.size < limit) {
      const [anchor, ...others] = [...parsed.tokens].sort((a, b) => b.length - a.length).slice(0, MAX_WORDS);
      const params = [anchor!, ...others].flatMap((w) => [w, w + PREFIX_END]);
      for (const row of this.allWordsStatement(others.length).all(...params)) {
        consider(row.guest_id, 2000 + row.weight * 100);
      }
    }

    const ranked = [...scores].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
    return this.guests.getMany(ranked.map(([guestId]) => guestId));
  }
}
