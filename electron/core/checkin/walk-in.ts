import type { Role } from '../../../shared/domain.ts';
import { hasHan } from '../../../shared/search/fold.ts';
import { pinyinTranscription } from '../../../shared/roster/transcription.ts';
import { splitName } from './door-rules.ts';

/** What door staff type for a walk-in (guests.walkIn). */
export interface WalkInInput {
  name: string;
  organization: string;
  email: string;
  role: Role;
}

/** A walk-in's guest fields, but its id and code (given in the walk-in's transaction: CheckinService.walkIn). */
export function walkInGuestFields(input: WalkInInput) {
  const { familyName, givenName } = splitName(input.name);
  const displayName = input.name.trim();
  return {
    displayName,
    familyName,
    givenName,
    nativeName: hasHan(displayName) ? displayName : '',
    // As imported and demo guests have theirs: found by pinyin, printed on the badge.
    latinName: pinyinTranscription(familyName, givenName),
    organization: input.organization.trim(),
    role: input.role,
    email: input.email.trim(),
    note: '',
    vip: false,
    status: 'active' as const,
    walkIn: true,
    forumPreferences: [],
    phone: '',
    source: 'walk_in' as const,
  };
}
