import type { Database } from 'better-sqlite3';
import { SearchIndex } from '../../guests/search-index.ts';

/**
 * Search keys shared by many guests are stored once (see electron/core/search-index.ts): a guest points
 * at the term of its names and the term of its organisation, its folded email is a column, and
 * `search_keys` keeps only codes not in search form. Imports of 100,000 guests wrote ~1.5 M key rows
 * (and as many by-guest index entries) before.
 *
 * The index is derived data, so it is rebuilt here from the guests with today's key rules.
 */
export function up(db: Database): void {
  db.exec(`
    -- With the id, so search reads guest ids from these indexes without visiting the guest rows.
    ALTER TABLE guests ADD COLUMN name_term INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE guests ADD COLUMN org_term INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX guests_by_name_term ON guests (name_term, id);
    CREATE INDEX guests_by_org_term ON guests (org_term, id);
    ALTER TABLE guests ADD COLUMN email_key TEXT NOT NULL DEFAULT '';
    CREATE INDEX guests_by_email_key ON guests (email_key, id);

    -- source: 'n' + JSON array of normalised names, or 'o' + organisation.
    CREATE TABLE search_terms (
      id INTEGER PRIMARY KEY,
      source TEXT NOT NULL UNIQUE
    ) STRICT;

    CREATE TABLE term_keys (
      key TEXT NOT NULL,
      term_id INTEGER NOT NULL,
      weight INTEGER NOT NULL,
      PRIMARY KEY (key, term_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX term_keys_by_term ON term_keys (term_id, key);

    DELETE FROM search_keys;
  `);
  const rows = db
    .prepare(
      `SELECT g.id, g.display_name AS displayName, g.family_name AS familyName, g.given_name AS givenName,
              g.native_name AS nativeName, g.latin_name AS latinName, g.organization, g.email,
              (SELECT json_group_array(code) FROM guest_codes WHERE guest_id = g.id) AS codes
       FROM guests g ORDER BY g.id`,
    )
    .all() as Array<{
    id: string;
    displayName: string;
    familyName: string;
    givenName: string;
    nativeName: string;
    latinName: string;
    organization: string;
    email: string;
    codes: string;
  }>;
  const guests = rows.map((r) => ({ ...r, codes: JSON.parse(r.codes) as string[] }));
  const index = new SearchIndex(db);
  const terms = index.termsFor(guests);
  const setTerms = db.prepare(`UPDATE guests SET name_term = ?, org_term = ?, email_key = ? WHERE id = ?`);
  guests.forEach((g, i) => setTerms.run(terms[i]!.nameTerm, terms[i]!.orgTerm, terms[i]!.emailKey, g.id));
  index.insertPrivateKeys(guests);
}
