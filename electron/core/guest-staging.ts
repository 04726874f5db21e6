import type { Database, Statement } from 'better-sqlite3';
import { emailKey } from '../../shared/search/keys.ts';
import type { StagingDb } from './db/staging.ts';
import type { GuestRecord } from './guests.ts';
import { privateKeys, TermSources, type SearchIndex } from './search-index.ts';

/**
 * Big imports stage their new guests: while the main thread reads and matches the rest of the file, a
 * worker writes the guests met so far into a scratch database (db/staging.ts); at the end one transaction
 * copies them in with `INSERT … SELECT`. Binding 18 values per guest is most of a direct insert's cost
 * (~1 s per 100,000), and that part now runs beside the reading instead of after it.
 *
 * Guests reference their search terms by source text here; ids are resolved by joins when copying, so
 * nothing is written to the kiosk database before that one transaction.
 */
export const GUEST_STAGING_SCHEMA = `
  CREATE TABLE guests (
    id TEXT NOT NULL, display_name TEXT NOT NULL, family_name TEXT NOT NULL, given_name TEXT NOT NULL,
    native_name TEXT NOT NULL, latin_name TEXT NOT NULL, organization TEXT NOT NULL, role TEXT NOT NULL,
    email TEXT NOT NULL, note TEXT NOT NULL, vip INTEGER NOT NULL, status TEXT NOT NULL,
    walk_in INTEGER NOT NULL, phone TEXT NOT NULL, source TEXT NOT NULL,
    name_source TEXT NOT NULL, org_source TEXT NOT NULL, email_key TEXT NOT NULL
  ) STRICT;
  CREATE TABLE codes (code TEXT NOT NULL, guest_id TEXT NOT NULL) STRICT;
  CREATE TABLE preferences (guest_id TEXT NOT NULL, rank INTEGER NOT NULL, forum_id TEXT NOT NULL) STRICT;
  CREATE TABLE private_keys (key TEXT NOT NULL, guest_id TEXT NOT NULL, weight INTEGER NOT NULL) STRICT;
  -- has_keys = 0: the term existed when staged, so its keys were not computed again.
  CREATE TABLE terms (source TEXT NOT NULL, has_keys INTEGER NOT NULL) STRICT;
  CREATE TABLE term_keys (source TEXT NOT NULL, key TEXT NOT NULL, weight INTEGER NOT NULL) STRICT;
`;

const GUEST_COLUMNS = [
  'id',
  'display_name',
  'family_name',
  'given_name',
  'native_name',
  'latin_name',
  'organization',
  'role',
  'email',
  'note',
  'vip',
  'status',
  'walk_in',
  'phone',
  'source',
  'name_source',
  'org_source',
  'email_key',
];

/** Sends new guests to a staging database, then copies them into the kiosk database. */
export class GuestStager {
  private readonly staging: StagingDb;
  private readonly sources = new TermSources();
  private readonly stagedTerms = new Set<string>();
  private readonly termExists: Statement<[string]>;

  constructor(db: Database, staging: StagingDb) {
    this.staging = staging;
    this.termExists = db.prepare(`SELECT 1 FROM search_terms WHERE source = ?`).pluck();
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
    const term = (source: string): string => {
      if (source !== '' && !this.stagedTerms.has(source)) {
        this.stagedTerms.add(source);
        const known = this.termExists.get(source) !== undefined;
        terms.push(source, known ? 0 : 1);
        if (!known) for (const k of this.sources.keys(source)) termKeys.push(source, k.key, k.weight);
      }
      return source;
    };
    for (const g of guests) {
      rows.push(
        g.id,
        g.displayName,
        g.familyName,
        g.givenName,
        g.nativeName,
        g.latinName,
        g.organization,
        g.role,
        g.email,
        g.note,
        g.vip ? 1 : 0,
        g.status,
        g.walkIn ? 1 : 0,
        g.phone,
        g.source,
        term(this.sources.name(g)),
        term(this.sources.organization(g.organization)),
        emailKey(g.email),
      );
      for (const code of g.codes) codes.push(code, g.id);
      [...new Set(g.forumPreferences)].forEach((forumId, i) => preferences.push(g.id, i + 1, forumId));
      for (const k of privateKeys(g)) keys.push(k.key, g.id, k.weight);
    }
    this.staging.add('guests', GUEST_COLUMNS, rows);
    this.staging.add('codes', ['code', 'guest_id'], codes);
    this.staging.add('preferences', ['guest_id', 'rank', 'forum_id'], preferences);
    this.staging.add('private_keys', ['key', 'guest_id', 'weight'], keys);
    this.staging.add('terms', ['source', 'has_keys'], terms);
    this.staging.add('term_keys', ['source', 'key', 'weight'], termKeys);
  }

  /** Waits until the worker has written everything staged. */
  finish(): Promise<void> {
    return this.staging.finish();
  }

  discard(): void {
    this.staging.discard();
  }

  /**
   * Copies the staged guests in; the staging file must be attached as `staging`. Sorted where the target
   * is clustered on the key, so SQLite appends. The caller owns the transaction (GuestStore.insertStaged).
   */
  copyInto(db: Database, search: SearchIndex): void {
    const before = db.prepare(`SELECT coalesce(max(id), 0) FROM main.search_terms`).pluck().get() as number;
    db.exec(`
      INSERT INTO main.search_terms (source)
        SELECT source FROM staging.terms t WHERE NOT EXISTS (SELECT 1 FROM main.search_terms s WHERE s.source = t.source);
      INSERT OR IGNORE INTO main.term_keys (key, term_id, weight)
        SELECT k.key, t.id, k.weight FROM staging.term_keys k JOIN main.search_terms t ON t.source = k.source
        WHERE t.id > ${before} ORDER BY k.key, t.id;`);
    // A term that existed when staged (so its keys were not staged) but was pruned since: keys now.
    const missing = db
      .prepare(
        `SELECT t.source FROM main.search_terms t JOIN staging.terms s ON s.source = t.source
         WHERE t.id > ? AND s.has_keys = 0`,
      )
      .pluck()
      .all(before) as string[];
    for (const source of missing) search.addTermKeys(source, this.sources.keys(source));
    db.exec(`
      INSERT INTO main.guests (id, display_name, family_name, given_name, native_name, latin_name, organization,
                               role, email, note, vip, status, walk_in, phone, source, name_term, org_term, email_key)
        SELECT g.id, g.display_name, g.family_name, g.given_name, g.native_name, g.latin_name, g.organization,
               g.role, g.email, g.note, g.vip, g.status, g.walk_in, g.phone, g.source,
               coalesce(n.id, 0), coalesce(o.id, 0), g.email_key
        FROM staging.guests g
        LEFT JOIN main.search_terms n ON n.source = g.name_source
        LEFT JOIN main.search_terms o ON o.source = g.org_source
        ORDER BY g.rowid;
      INSERT INTO main.guest_codes (code, guest_id) SELECT code, guest_id FROM staging.codes ORDER BY code;
      INSERT OR IGNORE INTO main.search_keys (key, guest_id, weight)
        SELECT key, guest_id, weight FROM staging.private_keys ORDER BY key, guest_id;
      INSERT INTO main.guest_forum_preferences (guest_id, rank, forum_id)
        SELECT guest_id, rank, forum_id FROM staging.preferences ORDER BY rowid;`);
  }
}
