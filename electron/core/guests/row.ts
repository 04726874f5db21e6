import type { Guest, Role } from '../../../shared/domain.ts';
import type { GuestTerms } from './search-index.ts';

/**
 * The guest row, written out once: the guests table's columns, the record they hold, and the two mappers
 * between them. Every reader and writer of guests (the store, the whole-roster read, staging, the
 * attendance export) takes its column list and its mapping from here.
 */

/** A guest as stored, before projections (check-ins, forum) are joined in. */
export interface GuestRecord {
  id: string;
  displayName: string;
  familyName: string;
  givenName: string;
  nativeName: string;
  latinName: string;
  organization: string;
  role: Role;
  email: string;
  note: string;
  vip: boolean;
  status: Guest['status'];
  walkIn: boolean;
  /** Forum ids, best first. */
  forumPreferences: string[];
  phone: string;
  source: 'demo' | 'import' | 'walk_in';
  codes: string[];
}

/** The record's own columns (codes and preferences live in their own tables), in the table's order. */
export type GuestFields = Omit<GuestRecord, 'codes' | 'forumPreferences'>;

const FIELD_COLUMNS = [
  'id',
  'display_name',
  'family_name',
  'given_name',
  'native_name',
  'latin_name',
  'organization',
  'role',
  'email',
  'note',
  'vip',
  'status',
  'walk_in',
  'phone',
  'source',
] as const;

/** Every column of the guests table, in schema order: the record's fields, then its search keys (GuestTerms). */
export const GUEST_COLUMNS: readonly string[] = [...FIELD_COLUMNS, 'name_term', 'org_term', 'email_key'];

/** The columns a roster re-import rewrites: all but the id and whether the guest walked in. */
export const UPDATABLE_COLUMNS: readonly string[] = GUEST_COLUMNS.filter((c) => c !== 'id' && c !== 'walk_in');

/** The record's columns for a SELECT, qualified with a table alias (`g.id, g.display_name, …`). */
export function guestFieldsSql(alias: string): string {
  return FIELD_COLUMNS.map((c) => `${alias}.${c}`).join(', ');
}

/** A row as SELECTed with guestFieldsSql. */
export interface GuestFieldsRow {
  id: string;
  display_name: string;
  family_name: string;
  given_name: string;
  native_name: string;
  latin_name: string;
  organization: string;
  role: Role;
  email: string;
  note: string;
  vip: number;
  status: Guest['status'];
  walk_in: number;
  phone: string;
  source: GuestRecord['source'];
}

/** Row → record fields. */
export function guestFields(row: GuestFieldsRow): GuestFields {
  return {
    id: row.id,
    displayName: row.display_name,
    familyName: row.family_name,
    givenName: row.given_name,
    nativeName: row.native_name,
    latinName: row.latin_name,
    organization: row.organization,
    role: row.role,
    email: row.email,
    note: row.note,
    vip: row.vip === 1,
    status: row.status,
    walkIn: row.walk_in === 1,
    phone: row.phone,
    source: row.source,
  };
}

/** Record → the values of GUEST_COLUMNS, in that order (an INSERT's row; bulk inserts bind thousands). */
export function guestRowValues(g: GuestFields, terms: GuestTerms): Array<string | number> {
  return [
    g.id,
    g.displayName,
    g.familyName,
    g.givenName,
    g.nativeName,
    g.latinName,
    g.organization,
    g.role,
    g.email,
    g.note,
    g.vip ? 1 : 0,
    g.status,
    g.walkIn ? 1 : 0,
    g.phone,
    g.source,
    terms.nameTerm,
    terms.orgTerm,
    terms.emailKey,
  ];
}

/** Record → the values of UPDATABLE_COLUMNS, in that order. */
export function guestUpdateValues(g: GuestFields, terms: GuestTerms): Array<string | number> {
  const values = guestRowValues(g, terms);
  return values.filter((_, i) => GUEST_COLUMNS[i] !== 'id' && GUEST_COLUMNS[i] !== 'walk_in');
}

/** A guest known only by id and what a badge or another kiosk told us, until the roster names them. */
export function minimalGuest(id: string, displayName: string, organization: string): GuestRecord {
  return {
    id,
    displayName,
    familyName: displayName,
    givenName: '',
    nativeName: '',
    latinName: '',
    organization,
    role: 'guest',
    email: '',
    note: '',
    vip: false,
    status: 'active',
    walkIn: false,
    forumPreferences: [],
    phone: '',
    source: 'import',
    codes: [],
  };
}
