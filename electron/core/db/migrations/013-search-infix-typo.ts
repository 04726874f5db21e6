import type { Database } from 'better-sqlite3';
import { SearchIndex } from '../../guests/search-index.ts';

/**
 * Search finds more: any Han substring of 2+ characters (suffix keys of Han runs), the later
 * parts of an email ("muller.4@", "example.org"), and words within one typo (`typo_keys`, the SymSpell
 * deletion variants of each distinct name and organisation word, mapped to the word).
 *
 * The index is derived data: it is rebuilt here from the guests with today's key rules.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE typo_keys (
      variant TEXT NOT NULL,
      word TEXT NOT NULL,
      PRIMARY KEY (variant, word)
    ) STRICT, WITHOUT ROWID;

    DELETE FROM search_keys;
    DELETE FROM term_keys;
    DELETE FROM search_terms;
    UPDATE guests SET name_term = 0, org_term = 0;
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
