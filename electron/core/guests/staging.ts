import type { Database, Statement } from 'better-sqlite3';
import { LanyardFailure } from '../../../shared/result.ts';
import { StagingDb } from '../db/staging.ts';
import type { StagingThread } from '../db/staging-spare.ts';
import type { GuestRecord } from './row.ts';
import { TermSources } from './search-index.ts';
import { packGuest, packTerm } from './staged-guests.ts';
import { stagedParts } from './staging-order.ts';
import { ShardedMap } from '../../../shared/sharded-map.ts';

/**
 * Big imports stage their new guests: while the main thread reads and matches the rest of the file, a
 * worker writes the guests met so far into a scratch database (db/staging.ts); at the end one transaction
 * copies them in with `INSERT … SELECT`. Binding 18 values per guest is most of a direct insert's cost
 * (~1 s per 100,000), and that part now runs beside the reading instead of after it.
 *
 * The staged `guests` table has the kiosk's columns and types (stagedGuestsTable), and two of its own
 * (its first code and its preferences: staged-guests.ts). They carry final search-term ids: new terms get the ids after
 * the current largest, which holds only if no term is written in between — the caller checks
 * GuestStore.revision, and the copy refuses if the largest id moved (checkTermIds).
 */
const STAGING_TABLES = `
  CREATE TABLE codes (code TEXT NOT NULL, guest_n INTEGER NOT NULL) STRICT;
  CREATE TABLE private_keys (key TEXT NOT NULL, guest_n INTEGER NOT NULL, weight INTEGER NOT NULL) STRICT;
  CREATE TABLE terms (id INTEGER NOT NULL, source TEXT NOT NULL) STRICT;
  CREATE TABLE term_keys (key TEXT NOT NULL, term_id INTEGER NOT NULL, weight INTEGER NOT NULL) STRICT;
  CREATE TABLE typo_keys (variant TEXT NOT NULL, word TEXT NOT NULL) STRICT;
`;

/**
 * Guests packed per message to the staging worker: about a slice's (import-job.ts reads 50 rows at a
 * time). The reading waits while too many messages are queued for the worker (db/staging.ts
 * MAX_BACKLOG counts messages), so a message must stay small for that cap to bound the memory. In a
 * profile, posting cost about the same per guest with 500 guests a message (the copy of the values).
 */
const GUESTS_PER_MESSAGE = 50;
/** Estimates, for the copy's progress only (the worker makes the term keys and typo variants). */
const TERM_KEYS_PER_TERM = 9;
const TYPO_ROWS_PER_TERM = 26;
/** At most this many of the kiosk's terms are read into memory at the start (a few MB). */
const PRELOAD_TERMS = 20_000;
/** Terms read per page of that (~1 ms). */
const TERM_PAGE = 1_000;

/** Sends new guests to a staging database, then copies them into the kiosk database. */
export class GuestStager {
  private readonly staging: StagingDb;
  private readonly sources = new TermSources();
  // '' (no names, no organisation): term 0. Sharded: a term per new name, filled on the door's thread.
  private readonly termIds = new ShardedMap<number>().set('', 0);
  private readonly findTerm: Statement<[string], number>;
  /** Whether termIds held every term of the kiosk at the start: then a source not in it is new. */
  private readonly allTermsKnown: boolean;
  private readonly guestColumns: readonly string[]; // the staged guests table's (stagedGuestsTable)
  private readonly stagedRows = new Map<string, number>();
  private packed: Array<string | number> = []; // guests not yet sent to the worker (staged-guests.ts)
  private packedGuests = 0;
  private readonly firstNewTermId: number;
  private nextTermId: number;
  /** With allTermsKnown: the last term id read into termIds so far; null once all are (loadTerms). */
  private termsReadUpTo: number | null;
  private readonly termPage: Statement<[number, number], { source: string; id: number }>;

  /**
   * Opens the staging file at `path` in `thread`'s worker (staging-spare.ts: a spare one, warm), or in a
   * worker started now. `preloadTerms`: read the kiosk's terms at the start if it has at most this many
   * (tests set 0).
   */
  static open(
    db: Database,
    path: string,
    {
      thread,
      preloadTerms = PRELOAD_TERMS,
    }: { thread?: StagingThread | undefined; preloadTerms?: number | undefined } = {},
  ): GuestStager {
    const schema = `${stagedGuestsTable(db)};\n${STAGING_TABLES}`;
    return new GuestStager(db, new StagingDb(path, schema, thread), preloadTerms);
  }

  private constructor(db: Database, staging: StagingDb, preloadTerms: number) {
    this.staging = staging;
    this.findTerm = db.prepare(`SELECT id FROM search_terms WHERE source = ?`).pluck() as Statement<[string], number>;
    // A kiosk with few terms (a first import, the demo) has them all read once: a list of all-different
    // names otherwise looked up each of its ~200,000 new sources, ~0.9 s of the door's thread. Terms
    // written after this are caught by checkTermIds (the largest id moved) like those findTerm misses.
    const known = db.prepare(`SELECT count(*) FROM main.search_terms`).pluck().get() as number;
    this.allTermsKnown = known <= preloadTerms;
    this.termsReadUpTo = this.allTermsKnown ? Number.NEGATIVE_INFINITY : null;
    this.termPage = db.prepare(`SELECT source, id FROM main.search_terms WHERE id > ? ORDER BY id LIMIT ?`);
    this.guestColumns = stagedGuestColumns(db).map((c) => c.name);
    this.firstNewTermId = maxTermId(db) + 1;
    this.nextTermId = this.firstNewTermId;
  }

  get path(): string {
    return this.staging.path;
  }

  /**
   * Reads the kiosk's terms (allTermsKnown: up to PRELOAD_TERMS of them) a page at a time, awaiting
   * `between` after each: they were read in one go as an import started, a piece of the door's thread
   * that grows with the kiosk's terms (the roster bench's kiosk has a few thousand: its 'starting'
   * phase's worst scan 15–17 → 14 ms in two alternating pairs, within the noise). `add` reads whatever
   * is left first, so a caller that skips this is slower, never wrong.
   */
  async loadTerms(between: () => Promise<void>): Promise<void> {
    while (this.readTermPage()) await between();
  }

  /** One page of terms into termIds; whether any are left. */
  private readTermPage(): boolean {
    if (this.termsReadUpTo === null) return false;
    const page = this.termPage.all(this.termsReadUpTo, TERM_PAGE);
    for (const { source, id } of page) this.termIds.set(source, id);
    this.termsReadUpTo = page.length < TERM_PAGE ? null : page[page.length - 1]!.id;
    return this.termsReadUpTo !== null;
  }

  /**
   * Stages guests (ids already set). Reads the kiosk database, never writes it. Here only their terms
   * (which read the kiosk) are found or numbered; the worker makes their rows, the new terms' keys and
   * typo variants (staged-guests.ts).
   */
  add(guests: readonly GuestRecord[]): void {
    while (this.readTermPage()); // the terms loadTerms did not read yet
    const terms: Array<string | number> = [];
    let newTerms = 0;
    const term = (source: string): number => {
      let id = this.termIds.get(source);
      if (id === undefined) {
        id = this.allTermsKnown ? undefined : this.findTerm.get(source);
        if (id === undefined) {
          id = this.nextTermId++;
          packTerm(terms, id, source, this.sources.recipe(source));
          newTerms++;
        }
        this.termIds.set(source, id);
      }
      return id;
    };
    const packed = this.packed;
    let codes = 0;
    let preferences = 0;
    let privateKeys = 0;
    for (const g of guests) {
      const nameTerm = term(this.sources.name(g));
      packGuest(packed, g, nameTerm, term(this.sources.organization(g.organization, g.email)));
      codes += g.codes.length;
      preferences += g.forumPreferences.length;
      if (g.email !== '') privateKeys++;
    }
    // For the copy's progress only (the worker's tables hold the exact counts): guests, codes and list
    // places are exact, preferences and private keys about what the rows give.
    this.count('guests', guests.length);
    this.count('codes', codes);
    this.count('list_members', guests.length);
    this.count('preferences', preferences);
    this.count('private_keys', privateKeys);
    this.packedGuests += guests.length;
    if (newTerms > 0) {
      this.staging.addTerms(terms);
      this.count('terms', newTerms);
      // Made by the worker: about what a term gives (the bench's names: ~9 keys, ~26 typo variants).
      this.count('term_keys', newTerms * TERM_KEYS_PER_TERM);
      this.count('typo_keys', newTerms * TYPO_ROWS_PER_TERM);
    }
    if (this.packedGuests >= GUESTS_PER_MESSAGE) this.sendPacked();
  }

  /** Hands the packed guests to the worker: one message instead of one per staged table. */
  private sendPacked(): void {
    this.staging.addGuests(this.packed);
    this.packed = [];
    this.packedGuests = 0;
  }

  private count(table: string, rows: number): void {
    this.stagedRows.set(table, (this.stagedRows.get(table) ?? 0) + rows);
  }

  /**
   * For a chunked copy (roster/import-chunks.ts): the worker writes each staged table, sorted so that
   * rowid ranges are key ranges, into a part file of its own, in STAGED_PART_ORDER, and the copy of one
   * part runs while the worker sorts the next (`part`). The guests come in pieces, so the copy starts on
   * the first while the worker writes the rest.
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
    this.sendPacked();
    this.staging.finishInParts('', stagedParts(idPrefix, this.guestColumns));
  }

  /**
   * A part file (staging-order.ts partFiles: a staged table, or a piece of the guests) sorted for the
   * chunked copy, once the worker has written it (finishInParts).
   */
  part(name: string): Promise<string> {
    return this.staging.part(name);
  }

  /** Rows staged so far, by staged table (some estimated, see add: for progress). */
  get stagedRowCounts(): ReadonlyMap<string, number> {
    return this.stagedRows;
  }

  /** Whether the staging worker failed: then a copy from its files fails for that reason. */
  get failed(): boolean {
    return this.staging.failed;
  }

  discard(): void {
    this.staging.discard();
  }

  /** Whether the worker is behind (db/staging.ts): the reading waits for it (workerCaughtUp). */
  get workerBehind(): boolean {
    return this.staging.behind;
  }

  workerCaughtUp(): Promise<void> {
    return this.staging.caughtUp();
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
}

/**
 * The staged guests table's columns: the kiosk's, in its order and with their types (so numbers are
 * stored as integers), then the two a staged guest carries beside them (staged-guests.ts).
 */
function stagedGuestColumns(db: Database): Array<{ name: string; type: string }> {
  const kiosk = db.prepare(`SELECT name, type FROM pragma_table_info('guests', 'main')`).all() as Array<{
    name: string;
    type: string;
  }>;
  return [...kiosk, { name: 'first_code', type: 'TEXT' }, { name: 'preferences', type: 'TEXT' }];
}

/**
 * The staged guests table (stagedGuestColumns), without the kiosk's key and checks. The kiosk's table
 * checks every row when the copy writes it; here its id key and checks cost the worker a third of its
 * inserting.
 */
function stagedGuestsTable(db: Database): string {
  return `CREATE TABLE guests (${stagedGuestColumns(db)
    .map((c) => `${c.name} ${c.type}`)
    .join(', ')})`;
}

function maxTermId(db: Database): number {
  return db.prepare(`SELECT coalesce(max(id), 0) FROM main.search_terms`).pluck().get() as number;
}
