import type { Guest } from '../../../shared/domain.ts';
import { splitFullName } from '../../../shared/roster/records.ts';
import { cleanScan } from '../../../shared/codes/scanner-input.ts';

/**
 * Keyboard-wedge scanners append Enter/Tab and sometimes a stray CR/LF or NUL; a pasted code may carry
 * spaces. Codes are compared exactly after removing those, so a code is never "almost" matched.
 */
export function normalizeCode(raw: string): string {
  return cleanScan(raw);
}

/**
 * Splits a walk-in's typed name as imports do (shared/roster/records.ts): CJK family name first, with
 * compound family names ("欧阳晓明" → 欧阳 + 晓明); otherwise the last word is the family name.
 */
export const splitName = splitFullName;

/** The note staff must see at the door: the guest's attention note, else "VIP" for a VIP. */
export function attentionOf(guest: Guest): string | null {
  return guest.note.length > 0 ? guest.note : guest.vip ? 'VIP' : null;
}
