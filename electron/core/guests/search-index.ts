import type { Database, Statement } from 'better-sqlite3';
import {
  deletionVariants,
  domainKeys,
  emailDomain,
  emailKey,
  guestNames,
  type SearchableGuest,
  type SearchKey,
} from '../../../shared/search/keys.ts';
import { privateKeys } from '../../../shared/search/own-keys.ts';
import { termKeys, termTypoWords, type TermRecipe } from './term-keys.ts';

/**
 * Writes the search index (schema in migrations/006-search-terms.ts). Keys that many guests share —
 * those of a set of names, those of an organisation — belong to a *term* stored once; a guest points
 * at its name term and organisation term (guests.name_term, guests.org_term). What is the guest's own
 * is indexed where it is stored: the folded email in guests.email_key, codes in guest_codes; only
 * codes not in search form ("CN-001") need a row in `search_keys`. A 100,000-guest import so writes
 * a few hundred thousand index entries instead of ~3 million (one key row and its by-guest index
 * entry each).
 */
export interface GuestTerms {
  nameTerm: number;
  orgTerm: number;
  emailKey: string;
}

const NO_TERM = 0; // INTEGER PRIMARY KEY ids start at 1, so 0 never names a term

const byKeyThenId = <T extends [string, string | number, number]>(a: T, b: T): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

interface NameFields {
  nativeName: string;
  latinName: string;
  familyName: string;
  givenName: string;
  source: string;
}

const pickNames = (g: SearchableGuest) => ({
  nativeName: g.nativeName,
  latinName: g.latinName,
  familyName: g.familyName,
  givenName: g.givenName,
});

/**
 * The source text a guest's terms are stored under ('' for none), and the keys of each source. The
 * source says which kind of term it is ("n" + names, "o" + organisation), so a name and an organisation
 * never share one. Guests with the same name fields share the name term: names already seen are not
 * normalised again.
 */
export class TermSources {
  // By display name first, then the other name fields compared: no key string built per guest, and the
  // same source string returned each time (a Map lookup by it then reuses its cached hash).
  private readonly byName = new Map<string, NameFields[]>();
  private readonly byOrganization = new Map<string, Map<string, string>>();
  private readonly recipes = new Map<string, TermRecipe>();

  name(g: SearchableGuest): string {
    let seen = this.byName.get(g.displayName);
    if (seen === undefined) this.byName.set(g.displayName, (seen = []));
    for (const f of seen) {
      if (
        f.nativeName === g.nativeName &&
        f.latinName === g.latinName &&
        f.familyName === g.familyName &&
        f.givenName === g.givenName
      )
        return f.source;
    }
    const names = guestNames(g);
    const source = names.length === 0 ? '' : `n${JSON.stringify(names)}`;
    if (source !== '' && !this.recipes.has(source)) this.recipes.set(source, { names });
    seen.push({ ...pickNames(g), source });
    return source;
  }

  /**
   * The organisation term, which also holds the keys of the email domain (weight email): colleagues
   * share both, so a domain costs no row per guest. `email` is the guest's address (its domain is used).
   */
  organization(organization: string, email: string): string {
    const domain = emailDomain(email);
    let byDomain = this.byOrganization.get(organization);
    if (byDomain === undefined) this.byOrganization.set(organization, (byDomain = new Map()));
    let source = byDomain.get(domain);
    if (source === undefined) {
      const domainPart = domainKeys(domain).length === 0 ? '' : domain;
      source =
        organization.trim().length === 0 && domainPart === ''
          ? ''
          : `o${organization}${domainPart === '' ? '' : `\u001f@${domainPart}`}`;
      if (source !== '' && !this.recipes.has(source)) this.recipes.set(source, { organization, domain: domainPart });
      byDomain.set(domain, source);
    }
    return source;
  }

  /** What the keys of a source returned by name() or organization() of this instance are made from. */
  recipe(source: string): TermRecipe {
    const recipe = this.recipes.get(source);
    if (recipe === undefined) throw new Error(`no term source ${source.slice(0, 40)} was seen`);
    return recipe;
  }

  /** The keys of a source returned by name() or organization() of this instance. */
  keys(source: string): SearchKey[] {
    return termKeys(this.recipe(source));
  }
}

export class SearchIndex {
  private readonly findTerm: Statement<[string], { id: number }>;
  private readonly insertTerm: Statement<[string]>;
  private readonly insertTermKey: Statement<[string, number, number]>;
  private readonly insertKey: Statement<[string, string, number]>;
  private readonly insertTypoKey: Statement<[string, string]> | null;
  private readonly deleteKeys: Statement<[string]>;
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
    this.findTerm = db.prepare(`SELECT id FROM search_terms WHERE source = ?`);
    this.insertTerm = db.prepare(`INSERT INTO search_terms (source) VALUES (?)`);
    this.insertTermKey = db.prepare(`INSERT OR IGNORE INTO term_keys (key, term_id, weight) VALUES (?, ?, ?)`);
    this.insertKey = db.prepare(`INSERT OR IGNORE INTO search_keys (key, guest_id, weight) VALUES (?, ?, ?)`);
    // Migration 006 rebuilds the index with this class before migration 013 creates typo_keys (013
    // then rebuilds it again): without the table there is nothing to write.
    const hasTypoKeys = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'typo_keys'`).get();
    this.insertTypoKey =
      hasTypoKeys === undefined ? null : db.prepare(`INSERT OR IGNORE INTO typo_keys (variant, word) VALUES (?, ?)`);
    this.deleteKeys = db.prepare(`DELETE FROM search_keys WHERE guest_id = ?`);
  }

  /**
   * The name and organisation terms (and email key) of each guest, creating missing terms with their
   * keys. Keys are computed once per distinct source (rosters repeat organisations and names), and new
   * term keys go in sorted so SQLite appends to its B-tree. The caller owns the transaction.
   */
  termsFor(guests: readonly SearchableGuest[]): GuestTerms[] {
    const sources = new TermSources();
    const ids = new Map<string, number>([['', NO_TERM]]);
    const newKeys: Array<[string, number, number]> = [];
    const newWords = new Set<string>();
    const term = (source: string): number => {
      let id = ids.get(source);
      if (id === undefined) {
        id = this.findTerm.get(source)?.id;
        if (id === undefined) {
          id = Number(this.insertTerm.run(source).lastInsertRowid);
          const keys = sources.keys(source);
          for (const k of keys) newKeys.push([k.key, id, k.weight]);
          for (const w of termTypoWords(sources.recipe(source))) newWords.add(w);
        }
        ids.set(source, id);
      }
      return id;
    };
    const terms = guests.map((g) => ({
      nameTerm: term(sources.name(g)),
      orgTerm: term(sources.organization(g.organization, g.email)),
      emailKey: emailKey(g.email),
    }));
    newKeys.sort(byKeyThenId);
    for (const [key, id, weight] of newKeys) this.insertTermKey.run(key, id, weight);
    this.insertTypoWords(newWords);
    return terms;
  }

  /**
   * The deletion variants of words of names and organisations (typo_keys, see search.ts). Per distinct
   * word, not per guest or term: a roster has far fewer distinct words than guests. Words of terms that
   * are pruned later stay; a correction to a word nobody has any more finds nothing, which is harmless.
   */
  private insertTypoWords(words: ReadonlySet<string>): void {
    const insert = this.insertTypoKey;
    if (insert === null) return;
    const rows: Array<[string, string]> = [];
    for (const word of words) for (const variant of deletionVariants(word)) rows.push([variant, word]);
    rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    for (const [variant, word] of rows) insert.run(variant, word);
  }

  /** Writes the private keys of guests that have none yet (new guests). The caller owns the transaction. */
  insertPrivateKeys(guests: ReadonlyArray<SearchableGuest & { id: string }>): void {
    const rows: Array<[string, string, number]> = [];
    for (const g of guests) for (const k of privateKeys(g)) rows.push([k.key, g.id, k.weight]);
    rows.sort(byKeyThenId);
    for (const [key, id, weight] of rows) this.insertKey.run(key, id, weight);
  }

  /** Replaces one guest's private keys (an edit or re-import). */
  replacePrivateKeys(guest: SearchableGuest & { id: string }): void {
    this.deleteKeys.run(guest.id);
    this.insertPrivateKeys([guest]);
  }

  /** Drops those of `candidates` that no guest points at any more (after guests changed names or organisations). */
  pruneTerms(candidates: readonly number[]): void {
    if (candidates.length === 0) return;
    const unused = `SELECT t.id FROM search_terms t
      WHERE t.id IN (SELECT value FROM json_each(@candidates))
        AND NOT EXISTS (SELECT 1 FROM guests WHERE name_term = t.id)
        AND NOT EXISTS (SELECT 1 FROM guests WHERE org_term = t.id)`;
    const ids = { candidates: JSON.stringify(candidates) };
    this.db.prepare(`DELETE FROM term_keys WHERE term_id IN (${unused})`).run(ids);
    this.db.prepare(`DELETE FROM search_terms WHERE id IN (${unused})`).run(ids);
  }
}
