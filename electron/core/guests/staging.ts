import type { Database, Statement } from 'better-sqlite3';
import { deletionVariants, emailKey, typoWords } from '../../../shared/search/keys.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { StagingDb } from '../db/staging.ts';
import { GUEST_COLUMNS, guestRowValues, type GuestRecord } from './row.ts';
import { privateKeys, TermSources } from './search-index.ts';

/**
 * Big imports stage their new guests: while the main thread reads and matches the rest of the file, a
 * worker writes the guests met so far into a scratch database (db/staging.ts); at the end one transaction
 * copies them in with `INSERT … SELECT`. Binding 18 values per guest is most of a direct insert's cost
 * (~1 s per 100,000), and that part now runs beside the reading instead of after it.
 *
 * The staged `guests` table is created from the kiosk's own schema text, so `INSERT INTO guests SELECT *`
 * qualifies for SQLite's transfer optimisation when the roster is empty (a first import): records are
 * copied as they are, ~80 ms instead of ~500 ms for 100,000 guests. That needs final search-term ids
 * when staging: new terms get the ids after the current largest, which holds only if no term is written
 * in between — the caller checks GuestStore.revision, and copyInto refuses if the largest id moved.
 */
const STAGING_TABLES = `
  CREATE TABLE codes (code TEXT NOT NULL, guest_id TEXT NOT NULL) STRICT;
  CREATE TABLE preferences (guest_id TEXT NOT NULL, rank INTEGER NOT NULL, forum_id TEXT NOT NULL) STRICT;
  CREATE TABLE private_keys (key TEXT NOT NULL, guest_id TEXT NOT NULL, weight INTEGER NOT NULL) STRICT;
  CREATE TABLE terms (id INTEGER NOT NULL, source TEXT NOT NULL) STRICT;
  CREATE TABLE term_keys (key TEXT NOT NULL, term_id INTEGER NOT NULL, weight INTEGER NOT NULL) STRICT;
  CREATE TABLE list_members (guest_id TEXT NOT NULL, code TEXT NOT NULL) STRICT;
  CREATE TABLE typo_keys (variant TEXT NOT NULL, word TEXT NOT NULL) STRICT;
`;

/** Sends new guests to a staging database, then copies them into the kiosk database. */
export class GuestStager {
  private readonly staging: StagingDb;
  private readonly sources = new TermSources();
  private readonly termIds = new Map<string, number>([['', 0]]); // '' (no names, no organisation): term 0
  private readonly typoWordsSeen = new Set<string>(); // words whose typo variants are staged already
  private readonly findTerm: Statement<[string], number>;
  private readonly firstNewTermId: number;
  private nextTermId: number;

  /** Starts the worker; the staging file is created at `path`. */
  static open(db: Database, path: string): GuestStager {
    const guests = db.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'guests'`).pluck().get();
    return new GuestStager(db, new StagingDb(path, `${guests as string};\n${STAGING_TABLES}`));
  }

  private constructor(db: Database, staging: StagingDb) {
    this.staging = staging;
    this.findTerm = db.prepare(`SELECT id FROM search_terms WHERE source = ?`).pluck() as Statement<[string], number>;
    this.firstNewTermId = maxTermId(db) + 1;
    this.nextTermId = this.firstNewTermId;
  }

  get path(): string {
    return this.staging.path;
  }

  /** Stages guests (ids already set). Reads the kiosk database, never writes it. */
  add(guests: readonly GuestRecord[]): void {
    const rows: Array<string | number> = [];
    const codes: Array<string | number> = [];
    const preferences: Array<string | number> = [];
    const keys: Array<string | number> = [];
    const terms: Array<string | number> = [];
    const termKeys: Array<string | number> = [];
    const members: Array<string | number> = [];
    const typoRows: Array<string | number> = [];
    const term = (source: string): number => {
      let id = this.termIds.get(source);
      if (id === undefined) {
        id = this.findTerm.get(source);
        if (id === undefined) {
          id = this.nextTermId++;
          terms.push(id, source);
          const keys = this.sources.keys(source);
          for (const k of keys) termKeys.push(k.key, id, k.weight);
          for (const word of typoWords(keys)) {
            if (this.typoWordsSeen.has(word)) continue;
            this.typoWordsSeen.add(word);
            for (const variant of deletionVariants(word)) typoRows.push(variant, word);
          }
        }
        this.termIds.set(source, id);
      }
      return id;
    };
    for (const g of guests) {
      const rowTerms = {
        nameTerm: term(this.sources.name(g)),
        orgTerm: term(this.sources.organization(g.organization, g.email)),
        emailKey: emailKey(g.email),
      };
      rows.push(...guestRowValues(g, rowTerms));
      for (const code of g.codes) codes.push(code, g.id);
      members.push(g.id, g.codes[0] ?? ''); // a new guest's list membership: the code its row gave
      let rank = 0;
      for (const [i, forumId] of g.forumPreferences.entries())
        if (g.forumPreferences.indexOf(forumId) === i) preferences.push(g.id, ++rank, forumId); // first mention only
      for (const k of privateKeys(g)) keys.push(k.key, g.id, k.weight);
    }
    this.staging.add('guests', GUEST_COLUMNS, rows);
    this.staging.add('codes', ['code', 'guest_id'], codes);
    this.staging.add('preferences', ['guest_id', 'rank', 'forum_id'], preferences);
    this.staging.add('private_keys', ['key', 'guest_id', 'weight'], keys);
    this.staging.add('terms', ['id', 'source'], terms);
    this.staging.add('term_keys', ['key', 'term_id', 'weight'], termKeys);
    this.staging.add('list_members', ['guest_id', 'code'], members);
    this.staging.add('typo_keys', ['variant', 'word'], typoRows);
  }

  /**
   * Waits until the worker has written everything staged, the tables whose kiosk table is clustered on
   * a key sorted by it (so rowid order is key order: see import-chunks.ts).
   */
  finish(): Promise<void> {
    const sortBy = STAGED_COPIES.filter((c) => c.order !== '' && c.order !== 'rowid');
    return this.staging.finish(sortBy.map((c) => ({ table: c.staged, order: c.order })));
  }

  discard(): void {
    this.staging.discard();
  }

  /** The search term ids this staging gave new terms: first ≤ id < end (end = first when none). */
  get newTermIds(): { first: number; end: number } {
    return { first: this.firstNewTermId, end: this.nextTermId };
  }

  /** Refuses if a search term was written since staging began: the staged term ids would collide. */
  checkTermIds(db: Database): void {
    if (maxTermId(db) + 1 !== this.firstNewTermId)
      throw new LanyardFailure('internal', 'search terms changed after the import was staged');
  }

  /**
   * Copies the staged guests in; the staging file must be attached as `staging`. Sorted where the target
   * is clustered on the key, so SQLite appends. The caller owns the transaction (GuestStore.insertStaged).
   */
  copyInto(db: Database): void {
    this.checkTermIds(db);
    db.exec(STAGED_COPIES.map((c) => `${c.insert} ${c.select} FROM staging.${c.staged}${orderBy(c)};`).join('\n'));
  }
}

/**
 * How each staged table goes into the kiosk's, in an order that keeps foreign keys satisfied at every
 * step (guests before their codes and preferences). `order` sorts rows where the target is clustered on
 * them; guests are copied as `SELECT *` unsorted so an empty roster gets SQLite's transfer copy.
 */
export const STAGED_COPIES: ReadonlyArray<{ staged: string; insert: string; select: string; order: string }> = [
  { staged: 'terms', insert: 'INSERT INTO main.search_terms (id, source)', select: 'SELECT id, source', order: 'id' },
  {
    staged: 'term_keys',
    insert: 'INSERT OR IGNORE INTO main.term_keys (key, term_id, weight)',
    select: 'SELECT key, term_id, weight',
    order: 'key, term_id',
  },
  { staged: 'guests', insert: 'INSERT INTO main.guests', select: 'SELECT *', order: '' },
  {
    staged: 'codes',
    insert: 'INSERT INTO main.guest_codes (code, guest_id)',
    select: 'SELECT code, guest_id',
    order: 'code',
  },
  {
    staged: 'private_keys',
    insert: 'INSERT OR IGNORE INTO main.search_keys (key, guest_id, weight)',
    select: 'SELECT key, guest_id, weight',
    order: 'key, guest_id',
  },
  {
    staged: 'preferences',
    insert: 'INSERT INTO main.guest_forum_preferences (guest_id, rank, forum_id)',
    select: 'SELECT guest_id, rank, forum_id',
    order: 'rowid',
  },
  {
    staged: 'typo_keys',
    insert: 'INSERT OR IGNORE INTO main.typo_keys (variant, word)',
    select: 'SELECT variant, word',
    order: 'variant, word',
  },
];

const orderBy = (c: { order: string }): string => (c.order === '' ? '' : ` ORDER BY ${c.order}`);

function maxTermId(db: Database): number {
  return db.prepare(`SELECT coalesce(max(id), 0) FROM main.search_terms`).pluck().get() as number;
}
