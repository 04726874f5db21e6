import { emailKey, privateKeys } from '../../../shared/search/own-keys.ts';
import { GUEST_COLUMNS, guestRowValues, type GuestRecord } from './row.ts';

/**
 * A big import's new guests as they travel to the staging worker (guests/staging.ts → db/staging-worker.ts):
 * one flat array per batch, and the worker makes each guest's staged rows (its guests row with the email
 * key, codes, list place, forum preferences, private search keys). Those keys and rows were ~1 s of the
 * door's thread per 100,000 guests; the worker has a core of its own. The door's thread keeps what reads
 * the kiosk (the guest's name and organisation terms, GuestStager.add).
 *
 * A guest, packed: its GUEST_COLUMNS values but the last (email_key, which the worker computes), the
 * number of its codes and the codes, the number of its forum preferences and the preferences.
 */
const EMAIL_KEY_AT = GUEST_COLUMNS.length - 1;
const EMAIL_AT = GUEST_COLUMNS.indexOf('email');
const ID_AT = GUEST_COLUMNS.indexOf('id');
if (GUEST_COLUMNS[EMAIL_KEY_AT] !== 'email_key' || EMAIL_AT < 0 || ID_AT < 0)
  throw new Error('guests/row.ts changed its columns: update staged-guests.ts');

/** Appends a guest to a batch (`out`), with the ids of its name and organisation terms. */
export function packGuest(out: Array<string | number>, g: GuestRecord, nameTerm: number, orgTerm: number): void {
  const row = guestRowValues(g, { nameTerm, orgTerm, emailKey: '' });
  for (let i = 0; i < EMAIL_KEY_AT; i++) out.push(row[i]!);
  out.push(g.codes.length, ...g.codes, g.forumPreferences.length, ...g.forumPreferences);
}

/** The staged tables the rows of packed guests go to, with their columns (guests/staging.ts's schema). */
export const STAGED_GUEST_TABLES = {
  guests: GUEST_COLUMNS,
  codes: ['code', 'guest_id'],
  list_members: ['guest_id', 'code'],
  preferences: ['guest_id', 'rank', 'forum_id'],
  private_keys: ['key', 'guest_id', 'weight'],
} as const satisfies Record<string, readonly string[]>;

export type StagedGuestRows = Record<keyof typeof STAGED_GUEST_TABLES, Array<string | number>>;

/** The staged rows of a batch of packed guests (values flat, row after row, per table). */
export function stagedGuestRows(packed: ReadonlyArray<string | number>): StagedGuestRows {
  const out: StagedGuestRows = { guests: [], codes: [], list_members: [], preferences: [], private_keys: [] };
  let at = 0;
  while (at < packed.length) {
    const row = packed.slice(at, at + EMAIL_KEY_AT);
    at += EMAIL_KEY_AT;
    const id = row[ID_AT] as string;
    const email = row[EMAIL_AT] as string;
    row.push(emailKey(email));
    for (const value of row) out.guests.push(value);
    const codes = packed.slice(at + 1, at + 1 + (packed[at] as number)) as string[];
    at += 1 + codes.length;
    const preferences = packed.slice(at + 1, at + 1 + (packed[at] as number)) as string[];
    at += 1 + preferences.length;
    for (const code of codes) out.codes.push(code, id);
    out.list_members.push(id, codes[0] ?? ''); // a new guest's list membership: the code its row gave
    let rank = 0;
    for (const [i, forumId] of preferences.entries())
      if (preferences.indexOf(forumId) === i) out.preferences.push(id, ++rank, forumId); // first mention only
    for (const k of privateKeys({ email, codes })) out.private_keys.push(k.key, id, k.weight);
  }
  return out;
}
