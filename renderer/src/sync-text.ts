import { en, type MessageKey } from '../../shared/i18n/en.ts';
import { useT } from './i18n.ts';

type T = ReturnType<typeof useT>;

/** A message key built from a code the core or server sent, if the catalogue has it. */
export function knownKey(prefix: string, code: string): MessageKey | null {
  const key = `${prefix}.${code}`;
  return Object.hasOwn(en, key) ? (key as MessageKey) : null;
}

/** A sync or pairing error in the staff's language, by its code (the English message stays for logs). */
export function syncErrorText(t: T, error: { code: string; message: string }): string {
  // A code with no sync wording of its own (a full disk while pulling) reads as it does anywhere else.
  const key = knownKey('syncError', error.code) ?? knownKey('errorCode', error.code);
  return key === null ? t('syncError.generic', { code: error.code }) : t(key);
}

/** A clock offset as "3 min 20 s", whichever clock is ahead. */
export function offsetText(t: T, ms: number): string {
  const total = Math.round(Math.abs(ms) / 1000);
  if (total < 60) return t('sync.offsetSec', { sec: total });
  const min = Math.floor(total / 60);
  if (min < 60) return t('sync.offsetMin', { min, sec: total % 60 });
  return t('sync.offsetHour', { hour: Math.floor(min / 60), min: min % 60 });
}
