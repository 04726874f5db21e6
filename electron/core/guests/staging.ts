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
  -- The renumbering's order (finishInParts), kept up as guests are staged, while the main thread still
  -- reads the file: the worker then numbers the guests by walking it instead of sorting them all at the end.
  CREATE INDEX guests_in_new_order ON guests (email_key, name_term, id);
`;

/** Sends new guests to a staging database, then copies them into the kiosk database. */
export class GuestStager {
  private readonly staging: StagingDb;
  private readonly sources = new TermSources();
  private readonly termIds = new Map<string, number>([['', 0]]); // '' (no names, no organisation): term 0
  private readonly typoWordsSeen = new Set<string>(); // words whose typo variants are staged already
  private readonly findTerm: Statement<[string], number>;
  private readonly guestColumns: readonly string[]; // the kiosk's guests table, in its column order
  private readonly stagedRows = new Map<string, number>();
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
    this.guestColumns = db.prepare(`SELECT name FROM pragma_table_info('guests', 'main')`).pluck().all() as string[];
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
    this.stage('guests', GUEST_COLUMNS, rows);
    this.stage('codes', ['code', 'guest_id'], codes);
    this.stage('preferences', ['guest_id', 'rank', 'forum_id'], preferences);
    this.stage('private_keys', ['key', 'guest_id', 'weight'], keys);
    this.stage('terms', ['id', 'source'], terms);
    this.stage('term_keys', ['key', 'term_id', 'weight'], termKeys);
    this.stage('list_members', ['guest_id', 'code'], members);
    this.stage('typo_keys', ['variant', 'word'], typoRows);
  }

  private stage(table: string, columns: readonly string[], values: Array<string | number>): void {
    this.staging.add(table, columns, values);
    this.stagedRows.set(table, (this.stagedRows.get(table) ?? 0) + values.length / columns.length);
  }

  /**
   * Waits until the worker has written everything staged, the tables whose kiosk table is clustered on
   * a key sorted by it (for copyInto, which copies them all at once).
   */
  finish(): Promise<void> {
    const sql = [...STAGED_COPIES, LIST_MEMBERS]
      .filter((c) => c.order !== '')
      .map((c) => sortedInPlace(c, this.side(c.staged)));
    return this.staging.finish(sql.join('\n'));
  }

  /**
   * For a chunked copy (roster/import-chunks.ts): the worker writes each staged table, sorted so that
   * rowid ranges are key ranges, into a part file of its own, in STAGED_PART_ORDER, and the copy of one
   * part runs while the worker sorts the next (`part`). Those that name no guest come first, so the copy
   * starts while the worker still renumbers the guests.
   *
   * Renumbering: the staged guests' ids were made by newGuestId with `idPrefix`; they are given again,
   * in the order of (email key, name term). File order put each new guest's entries in
   * guests_by_email_key and guests_by_name_term at a random page, so every chunk of a chunked write
   * dirtied a page per guest and index (~1 GB of WAL per 100,000 guests); in this order both indexes
   * (and the id index) take them as appends, and the organisation index at one place per organisation.
   * Emails usually start with the name, so the two orders mostly agree. Ids are opaque: no one has seen
   * these yet.
   */
  finishInParts(idPrefix: string): void {
    const parts = STAGED_PART_ORDER.map((name) => {
      const copy = STAGED_COPIES.find((c) => c.staged === name) ?? LIST_MEMBERS;
      const select =
        name === 'guests' ? renumberedGuests(this.guestColumns) : sortedSelect(copy, this.side(name), true);
      const renumber = name === 'guests' ? renumberSql(idPrefix) : '';
      return { name, sql: `${renumber}\nCREATE TABLE part.${name} AS ${select};` };
    });
    this.staging.finishInParts('', parts);
  }

  /** The file of a staged table sorted for the chunked copy, once the worker has written it (finishInParts). */
  part(name: (typeof STAGED_PART_ORDER)[number]): Promise<string> {
    return this.staging.part(name);
  }

  /** Rows staged so far, by staged table. */
  get stagedRowCounts(): ReadonlyMap<string, number> {
    return this.stagedRows;
  }

  private side(staged: string): number {
    return gridSide(this.stagedRows.get(staged) ?? 0);
  }

  /** Whether the staging worker failed: then a copy from its files fails for that reason. */
  get failed(): boolean {
    return this.staging.failed;
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
export interface StagedCopy {
  staged: string;
  insert: string;
  select: string;
  order: string;
  /** The order of the kiosk table's other index, if it has one (see sortedSelect). */
  alsoBy?: string;
}

export const STAGED_COPIES: readonly StagedCopy[] = [
  { staged: 'terms', insert: 'INSERT INTO main.search_terms (id, source)', select: 'SELECT id, source', order: 'id' },
  {
    staged: 'term_keys',
    insert: 'INSERT OR IGNORE INTO main.term_keys (key, term_id, weight)',
    select: 'SELECT key, term_id, weight',
    order: 'key, term_id',
    alsoBy: 'term_id, key',
  },
  { staged: 'guests', insert: 'INSERT INTO main.guests', select: 'SELECT *', order: '' },
  {
    staged: 'codes',
    insert: 'INSERT INTO main.guest_codes (code, guest_id)',
    select: 'SELECT code, guest_id',
    order: 'code',
    alsoBy: 'guest_id',
  },
  {
    staged: 'private_keys',
    insert: 'INSERT OR IGNORE INTO main.search_keys (key, guest_id, weight)',
    select: 'SELECT key, guest_id, weight',
    order: 'key, guest_id',
    alsoBy: 'guest_id, key',
  },
  {
    staged: 'preferences',
    insert: 'INSERT INTO main.guest_forum_preferences (guest_id, rank, forum_id)',
    select: 'SELECT guest_id, rank, forum_id',
    order: 'guest_id, rank',
  },
  {
    staged: 'typo_keys',
    insert: 'INSERT OR IGNORE INTO main.typo_keys (variant, word)',
    select: 'SELECT variant, word',
    order: 'variant, word',
  },
];

/** The new guests' list places: joined to the import's list in the chunked copy (import-chunks.ts). */
export const LIST_MEMBERS: StagedCopy = {
  staged: 'list_members',
  insert: 'INSERT INTO main.list_members (list_id, guest_id, code)',
  select: 'SELECT @list, guest_id, code',
  order: 'guest_id',
};

/**
 * The order the worker writes the parts and the chunked copy takes them: search terms (the guests'
 * rows name them) and the tables that name no guest first, then the guests, then what names them.
 */
export const STAGED_PART_ORDER = [
  'terms',
  'term_keys',
  'typo_keys',
  'guests',
  'codes',
  'private_keys',
  'preferences',
  'list_members',
] as const;

/** A new guest's id: the import's prefix and a counter (renumberSql writes the same form). */
export function newGuestId(idPrefix: string, n: number): string {
  return `${idPrefix}${n.toString(16).padStart(6, '0')}`;
}

const ID_PREFIX = /^[A-Za-z0-9_]+$/;

/**
 * Staged guest ids given again as newGuestId(prefix, n), n counting in (email key, name term) order
 * (the worker's temp table `renumbered`, which the by-guest parts join to rewrite their references).
 */
function renumberSql(idPrefix: string): string {
  if (!ID_PREFIX.test(idPrefix)) throw new Error(`unexpected guest id prefix ${idPrefix}`);
  return `CREATE TEMP TABLE renumbered (old TEXT PRIMARY KEY, n INTEGER NOT NULL, new TEXT NOT NULL) WITHOUT ROWID;
    INSERT INTO renumbered (old, n, new)
      SELECT id, n, '${idPrefix}' || printf('%06x', n)
      FROM (SELECT id, row_number() OVER (ORDER BY email_key, name_term, id) - 1 AS n FROM main.guests);`;
}

/** The renumbered guests in their new order, columns as the kiosk's guests table has them. */
function renumberedGuests(guestColumns: readonly string[]): string {
  const columns = guestColumns.map((c) => (c === 'id' ? 'r.new AS id' : `g.${c}`)).join(', ');
  return `SELECT ${columns} FROM main.guests g JOIN renumbered r ON r.old = g.id ORDER BY r.n`;
}

/** The staged tables that name a new guest, with their other columns. */
const BY_GUEST: Readonly<Record<string, readonly string[]>> = {
  codes: ['code'],
  private_keys: ['key', 'weight'],
  preferences: ['rank', 'forum_id'],
  list_members: ['code'],
};

/** Rows per block of a two-index table's grid (sortedSelect): about what one chunk copies. */
const GRID_BLOCK_ROWS = 256;

/** Blocks per side of the grid for a table of `rows`: a side of k makes k² blocks of ~GRID_BLOCK_ROWS. */
const gridSide = (rows: number): number => Math.max(1, Math.floor(Math.sqrt(rows / GRID_BLOCK_ROWS)));

/**
 * Rewrites a staged table so that rowid ranges are key ranges for the chunked copy: a chunk then lands
 * on a few neighbouring pages of the kiosk table instead of pages all over its B-tree.
 *
 * A table with a second index (`alsoBy`: codes by guest, keys by guest or term) cannot be in both
 * orders, and sorted by its key alone each of its rows went to a random page of the other index: a
 * chunk of n rows dirtied ~n pages there, and each page was written again by nearly every chunk. So it
 * is cut into a `side` × `side` grid (ranks by key, by the other order) and copied block by block,
 * each block sorted by key: a chunk's rows then fall in 1/side of each index, so it dirties ~1/side of
 * their pages in all.
 */
function sortedSelect(
  c: Pick<StagedCopy, 'staged' | 'select' | 'order' | 'alsoBy'>,
  side: number,
  renumbered: boolean,
): string {
  const others = BY_GUEST[c.staged];
  // With the guests renumbered, their new ids replace the old in the same pass (no UPDATE of each row).
  const from =
    renumbered && others !== undefined
      ? `(SELECT ${others.map((o) => `t.${o}`).join(', ')}, r.new AS guest_id
          FROM main.${c.staged} t JOIN renumbered r ON r.old = t.guest_id)`
      : `main.${c.staged}`;
  return c.alsoBy === undefined || side === 1
    ? `SELECT * FROM ${from} ORDER BY ${c.order}`
    : `${c.select} FROM (SELECT *, ntile(${side}) OVER (ORDER BY ${c.order}) AS by_key,
                                ntile(${side}) OVER (ORDER BY ${c.alsoBy}) AS by_other FROM ${from})
       ORDER BY by_key, by_other, ${c.order}`;
}

/** The staged table rewritten in place in its sorted order (sortedSelect). */
function sortedInPlace(c: StagedCopy, side: number): string {
  return `CREATE TABLE sorted AS ${sortedSelect(c, side, false)};
   DROP TABLE ${c.staged};
   ALTER TABLE sorted RENAME TO ${c.staged};`;
}

const orderBy = (c: { order: string }): string => (c.order === '' ? '' : ` ORDER BY ${c.order}`);

function maxTermId(db: Database): number {
  return db.prepare(`SELECT coalesce(max(id), 0) FROM main.search_terms`).pluck().get() as number;
}
