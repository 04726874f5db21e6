import type { Database, Statement } from 'better-sqlite3';
import type { Guest } from '../../shared/domain.ts';
import { parseQuery } from '../../shared/search/keys.ts';
import type { GuestStore } from './guests.ts';

/** Upper bound of a prefix range: the largest code point sorts after every continuation. */
const PREFIX_END = '\u{10FFFF}';
/** How many key rows one prefix may contribute; enough to rank well, small enough to stay in budget. */
const CANDIDATE_ROWS = 400;

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
  private readonly guestHasPrefix: Statement<[string, string, string], { found: number }>;

  private readonly guests: GuestStore;

  constructor(
    db: Database,
    guests: GuestStore,
  ) {
    this.guests = guests;
    this.range = db.prepare(
      `SELECT key, guest_id, weight FROM search_keys WHERE key >= ? AND key < ? ORDER BY key LIMIT ?`,
    );
    this.guestHasPrefix = db.prepare(
      `SELECT EXISTS (SELECT 1 FROM search_keys WHERE guest_id = ? AND key >= ? AND key < ?) AS found`,
    );
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
    for (const row of this.prefixRows(parsed.compact, CANDIDATE_ROWS)) consider(row.guest_id, score(row, parsed.compact));

    // 2. Several words in any order ("qing liu", "müller siemens"): candidates from the most selective
    //    word (longest), kept only if every other word is a prefix of one of the guest's keys.
    if (parsed.tokens.length > 1 && scores.size < limit) {
      const [anchor, ...others] = [...parsed.tokens].sort((a, b) => b.length - a.length);
      for (const row of this.prefixRows(anchor!, CANDIDATE_ROWS)) {
        if (scores.has(row.guest_id)) continue;
        const all = others.every((w) => this.guestHasPrefix.get(row.guest_id, w, w + PREFIX_END)!.found === 1);
        if (all) consider(row.guest_id, 2000 + score(row, anchor!));
      }
    }

    const ranked = [...scores].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
    const results: Guest[] = [];
    for (const [guestId] of ranked) {
      const guest = this.guests.get(guestId);
      if (guest !== null) results.push(guest);
    }
    return results;
  }
}
