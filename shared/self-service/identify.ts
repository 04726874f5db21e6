import { fold, foldGerman, tokens } from '../search/fold.ts';

/**
 * How a guest at a self-service kiosk proves who they are without a badge: their whole name and a second
 * fact only they are likely to know. Exact on both (after folding case, accents, spacing and name order),
 * so the core can answer one guest or nobody — never a list to pick from.
 */

/** A guest's stored names and the two facts a lookup may be confirmed with. */
export interface IdentifiableGuest {
  displayName: string;
  familyName: string;
  givenName: string;
  nativeName: string;
  latinName: string;
  email: string;
  phone: string;
}

/** The email's first characters a guest must type (fewer would be guessed from the name too often). */
export const EMAIL_PREFIX_MIN = 4;
/** The phone number's last digits a guest may type instead. */
export const PHONE_SUFFIX_DIGITS = 4;

/** A name's words joined, as folded and with German umlauts spelled out ("Müller" → muller, mueller). */
function joinedForms(name: string): string[] {
  return [tokens(fold(name)), tokens(foldGerman(name))].map((words) => words.join('')).filter((k) => k !== '');
}

/** The keys a typed name is looked up by: its words joined ("Anna  Müller" → annamuller, annamueller). */
export function typedNameKeys(typed: string): string[] {
  return [...new Set(joinedForms(typed))];
}

/** Every whole form of a guest's name, in either word order ("li na" and "na li"). */
function wholeNames(guest: IdentifiableGuest): Set<string> {
  const forms = new Set<string>();
  const names = [guest.displayName, guest.nativeName, guest.latinName, `${guest.familyName} ${guest.givenName}`];
  for (const name of names) {
    for (const variant of [fold(name), foldGerman(name)]) {
      const words = tokens(variant);
      if (words.length === 0) continue;
      forms.add(words.join(''));
      forms.add([...words].reverse().join(''));
    }
  }
  return forms;
}

/** The typed name is one of the guest's whole names (a part of a name, or a pinyin guess, is not). */
export function nameMatches(typed: string, guest: IdentifiableGuest): boolean {
  const forms = wholeNames(guest);
  return typedNameKeys(typed).some((key) => forms.has(key));
}

const plain = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/**
 * The second fact: the last four digits of the guest's phone, or the first four (or more) characters of
 * their email. A guest with neither on the roster cannot be found this way (staff help them).
 */
export function secondFactMatches(fact: string, guest: Pick<IdentifiableGuest, 'email' | 'phone'>): boolean {
  const typed = plain(fact);
  if (new RegExp(`^\\d{${PHONE_SUFFIX_DIGITS}}$`).test(typed)) {
    const digits = guest.phone.normalize('NFKC').replace(/\D/g, '');
    if (digits.length >= PHONE_SUFFIX_DIGITS && digits.endsWith(typed)) return true;
  }
  const email = plain(guest.email);
  return typed.length >= EMAIL_PREFIX_MIN && email.length > 0 && email.startsWith(typed);
}

/** After this many lookups in a row that found nobody, lookups close for a while. */
export const LOOKUP_TRIES_BEFORE_LOCK = 5;
const LOCK_STEPS_SECONDS = [30, 60, 120, 240, 480, 900];

/** How long lookups close after `misses` in a row: 30 s at the 5th, longer each further 5, 15 min at most. */
export function lookupLockSeconds(misses: number): number {
  if (misses < LOOKUP_TRIES_BEFORE_LOCK || misses % LOOKUP_TRIES_BEFORE_LOCK !== 0) return 0;
  const step = Math.min(misses / LOOKUP_TRIES_BEFORE_LOCK - 1, LOCK_STEPS_SECONDS.length - 1);
  return LOCK_STEPS_SECONDS[step]!;
}
