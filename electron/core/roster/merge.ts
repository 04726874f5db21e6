import type { RosterRecord } from '../../../shared/roster/records.ts';
import { fold } from '../../../shared/search/fold.ts';
import type { GuestRecord } from '../guests/store.ts';

/** How a roster row changes the guest it matched (importer.ts decides which guest that is). */
export const nameKey = (name: string, organization: string): string => `${fold(name)}|${fold(organization)}`;

/** The fields a roster row sets on a guest, new or existing. */
export function rowFields(record: RosterRecord) {
  return {
    displayName: record.displayName,
    familyName: record.familyName,
    givenName: record.givenName,
    nativeName: record.nativeName,
    latinName: record.latinName,
    organization: record.organization,
    email: record.email,
    phone: record.phone,
    role: record.role,
    note: record.note,
  };
}

/**
 * A guest after a row of list L matched them. `listCode`: the code L's last file gave them (undefined if
 * they are not on L yet): a new code replaces it, codes other lists gave stay. `shared`: the guest is also
 * on another list or a walk-in — then a blank cell does not erase what the other source said, and the
 * default role (guest) does not demote a speaker the speakers' list named.
 */
export function merged(
  existing: GuestRecord,
  record: RosterRecord,
  listCode: string | undefined,
  shared: boolean,
): GuestRecord {
  const keepBlocked = existing.status === 'blocked' && !record.cancelled;
  const fields: Partial<ReturnType<typeof rowFields>> = rowFields(record);
  if (shared) {
    for (const [key, value] of Object.entries(fields)) if (value === '') delete fields[key as keyof typeof fields];
    if (record.role === 'guest') delete fields.role;
  }
  const codes =
    record.code.length === 0
      ? existing.codes
      : [...existing.codes.filter((c) => c !== listCode && c !== record.code), record.code];
  return {
    ...existing,
    ...fields,
    vip: existing.vip || record.role === 'vip',
    status: keepBlocked ? 'blocked' : record.cancelled ? 'cancelled' : 'active',
    source: existing.source === 'walk_in' ? 'walk_in' : 'import',
    codes,
    forumPreferences: record.forumPreferences.length > 0 ? record.forumPreferences : existing.forumPreferences,
  };
}

export function same(a: GuestRecord, b: GuestRecord): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
