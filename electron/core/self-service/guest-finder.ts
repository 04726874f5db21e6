import type { Database, Statement } from 'better-sqlite3';
import {
  nameMatches,
  secondFactMatches,
  typedNameKeys,
  type IdentifiableGuest,
} from '../../../shared/self-service/identify.ts';

interface CandidateRow {
  id: string;
  display_name: string;
  family_name: string;
  given_name: string;
  native_name: string;
  latin_name: string;
  email: string;
  phone: string;
}

/** Guests sharing one key are few unless the key is a single common word, which no whole name matches. */
const CANDIDATE_LIMIT = 2000;

/**
 * Finds the one guest a self-service lookup names: the search index's name keys hold every guest's whole
 * name with its words joined (either order, folded — shared/search/keys.ts), so an exact key gives the few
 * candidates, and shared/self-service/identify.ts decides. Reads phone and email, which leave the core
 * never: the answer is a guest id or null.
 */
export class GuestFinder {
  private readonly byNameKey: Statement<[string], CandidateRow>;

  constructor(db: Database) {
    this.byNameKey = db.prepare(
      `SELECT g.id, g.display_name, g.family_name, g.given_name, g.native_name, g.latin_name, g.email, g.phone
       FROM term_keys k CROSS JOIN settled_guests g ON g.name_term = k.term_id
       WHERE k.key = ? LIMIT ${CANDIDATE_LIMIT}`,
    );
  }

  /** The id of the only guest with this whole name and second fact, or null (none, or more than one). */
  exactlyOne(name: string, fact: string): string | null {
    const found = new Set<string>();
    for (const key of typedNameKeys(name)) {
      for (const row of this.byNameKey.all(key)) {
        const guest: IdentifiableGuest = {
          displayName: row.display_name,
          familyName: row.family_name,
          givenName: row.given_name,
          nativeName: row.native_name,
          latinName: row.latin_name,
          email: row.email,
          phone: row.phone,
        };
        if (nameMatches(name, guest) && secondFactMatches(fact, guest)) found.add(row.id);
      }
    }
    return found.size === 1 ? [...found][0]! : null;
  }
}
