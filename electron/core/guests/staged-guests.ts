import { deletionVariants } from '../../../shared/search/keys.ts';
import { emailKey, privateKeys } from '../../../shared/search/own-keys.ts';
import { GUEST_COLUMNS, guestRowValues, type GuestRecord } from './row.ts';
import { termKeys, termTypoWords, type TermRecipe } from './term-keys.ts';

/**
 * A big import's new guests as they travel to the staging worker (guests/staging.ts → db/staging-worker.ts):
 * one flat array per batch, and the worker makes each guest's staged rows (its guests row with the email
 * key, codes, forum preferences, private search keys; its list place and preference rows come from its
 * guests row at the end, staging-order.ts). Those keys and rows were ~1 s of the door's thread per 100,000 guests; the worker
 * has a core of its own. The door's thread keeps what reads
 * the kiosk (the guest's name and organisation terms, GuestStager.add).
 *
 * A guest, packed: its GUEST_COLUMNS values but the last (email_key, which the worker computes), the
 * number of its codes and the codes, the number of its forum preferences and the preferences.
 */
const EMAIL_KEY_AT = GUEST_COLUMNS.length - 1;
const EMAIL_AT = GUEST_COLUMNS.indexOf('email');
if (GUEST_COLUMNS[EMAIL_KEY_AT] !== 'email_key' || EMAIL_AT < 0)
  throw new Error('guests/row.ts changed its columns: update staged-guests.ts');

/** Appends a guest to a batch (`out`), with the ids of its name and organisation terms. */
export function packGuest(out: Array<string | number>, g: GuestRecord, nameTerm: number, orgTerm: number): void {
  const row = guestRowValues(g, { nameTerm, orgTerm, emailKey: '' });
  for (let i = 0; i < EMAIL_KEY_AT; i++) out.push(row[i]!);
  out.push(g.codes.length, ...g.codes, g.forumPreferences.length, ...g.forumPreferences);
}

/**
 * The staged tables the rows of packed guests go to, with their columns (guests/staging.ts's schema). A
 * staged guest carries two columns the kiosk's guests table has not: its first code ('' without one:
 * its list place's code) and its forum preferences, a JSON array best first. The copy makes the guest's
 * list place and preference rows from them (guests/staging-order.ts): ~75,000 fewer rows per 100,000
 * guests for the worker to insert while the door reads the file, and two sorted parts fewer after it.
 */
export const STAGED_GUEST_TABLES = {
  guests: [...GUEST_COLUMNS, 'first_code', 'preferences'],
  codes: ['code', 'guest_n'],
  private_keys: ['key', 'guest_n', 'weight'],
} as const satisfies Record<string, readonly string[]>;

export type StagedGuestRows = Record<keyof typeof STAGED_GUEST_TABLES, Array<string | number>>;

const NO_CODES: readonly string[] = [];

/**
 * The staged rows of a batch of packed guests (values flat, row after row, per table). The batch's guests
 * are staged rows `firstRow`, `firstRow + 1`, … of the staged guests table (its rowids: the worker
 * inserts them in order into a table of its own), and their codes and private keys name them by that
 * number (`guest_n`), not by their id: the worker binds a number instead of a 12-character id for each of
 * ~200,000 such rows per 100,000 guests, and renumbering joins on it (staging-order.ts).
 */
export function stagedGuestRows(packed: ReadonlyArray<string | number>, firstRow: number): StagedGuestRows {
  const out: StagedGuestRows = { guests: [], codes: [], private_keys: [] };
  let at = 0;
  let row = firstRow;
  // Read in place (no slice per guest): the worker unpacks 100,000 of these per big import.
  while (at < packed.length) {
    const n = row++;
    const email = packed[at + EMAIL_AT] as string;
    for (let i = 0; i < EMAIL_KEY_AT; i++) out.guests.push(packed[at + i]!);
    out.guests.push(emailKey(email));
    at += EMAIL_KEY_AT;
    const codeCount = packed[at++] as number;
    const codesAt = at;
    at += codeCount;
    const preferenceCount = packed[at++] as number;
    const preferencesAt = at;
    at += preferenceCount;
    for (let i = codesAt; i < codesAt + codeCount; i++) out.codes.push(packed[i]!, n);
    const preferences: Array<string | number> = [];
    for (let i = preferencesAt; i < preferencesAt + preferenceCount; i++)
      if (packed.indexOf(packed[i]!, preferencesAt) === i) preferences.push(packed[i]!); // first mention only
    out.guests.push(codeCount === 0 ? '' : packed[codesAt]!, JSON.stringify(preferences));
    const codes = codeCount === 0 ? NO_CODES : (packed.slice(codesAt, codesAt + codeCount) as string[]);
    for (const k of privateKeys({ email, codes })) out.private_keys.push(k.key, n, k.weight);
  }
  return out;
}

/**
 * A big import's new search terms as they travel to the staging worker, which makes their keys and the
 * typo variants of their words (those were the door's thread's work: ~1.7 s per 100,000 all-different
 * names, beside the copy). A term, packed: its id, its source, then its recipe (term-keys.ts): the
 * number of names and the names, or -1, the organisation and the domain.
 */
export function packTerm(out: Array<string | number>, id: number, source: string, recipe: TermRecipe): void {
  out.push(id, source);
  if ('names' in recipe) out.push(recipe.names.length, ...recipe.names);
  else out.push(-1, recipe.organization, recipe.domain);
}

/** The staged tables the rows of packed terms go to, with their columns (guests/staging.ts's schema). */
export const STAGED_TERM_TABLES = {
  terms: ['id', 'source'],
  term_keys: ['key', 'term_id', 'weight'],
  typo_keys: ['variant', 'word'],
} as const satisfies Record<string, readonly string[]>;

export type StagedTermRows = Record<keyof typeof STAGED_TERM_TABLES, Array<string | number>>;

/**
 * The staged rows of a batch of packed terms. `typoWordsSeen`: the words whose variants this import
 * staged already (the worker keeps it for the whole import), so a word's variants are staged once.
 */
export function stagedTermRows(packed: ReadonlyArray<string | number>, typoWordsSeen: Set<string>): StagedTermRows {
  const out: StagedTermRows = { terms: [], term_keys: [], typo_keys: [] };
  let at = 0;
  while (at < packed.length) {
    const id = packed[at++] as number;
    const source = packed[at++] as string;
    const count = packed[at++] as number;
    let recipe: TermRecipe;
    if (count < 0) {
      recipe = { organization: packed[at] as string, domain: packed[at + 1] as string };
      at += 2;
    } else {
      recipe = { names: packed.slice(at, at + count) as string[] };
      at += count;
    }
    out.terms.push(id, source);
    const keys = termKeys(recipe);
    for (const k of keys) out.term_keys.push(k.key, id, k.weight);
    for (const word of termTypoWords(recipe)) {
      if (typoWordsSeen.has(word)) continue;
      typoWordsSeen.add(word);
      for (const variant of deletionVariants(word)) out.typo_keys.push(variant, word);
    }
  }
  return out;
}
