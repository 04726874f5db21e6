import type { Role } from '../domain.ts';
import { fold } from '../search/fold.ts';
import type { ColumnMapping, RosterField } from './mapping.ts';

/**
 * Rows of a roster file → guest records, with every blocking problem reported at once (row number as
 * the user sees it in a spreadsheet, column header, stable code). Runtime-neutral and pure.
 */
export interface RosterRecord {
  row: number;
  displayName: string;
  familyName: string;
  givenName: string;
  nativeName: string;
  latinName: string;
  organization: string;
  email: string;
  phone: string;
  code: string;
  role: Role;
  forumPreferences: string[];
  note: string;
  cancelled: boolean;
}

export const rowErrorCodes = [
  'missing_name',
  'duplicate_code',
  'duplicate_row',
  'bad_email',
  'unknown_forum',
  'value_too_long',
  'code_in_use',
] as const;
export type RowErrorCode = (typeof rowErrorCodes)[number];

export interface RowError {
  row: number;
  column: string;
  code: RowErrorCode;
  message: string;
}

export interface ForumRef {
  id: string;
  name: { zh: string; en: string; de: string };
  room: string;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** Two-character Chinese family names, so 欧阳晓东 splits as 欧阳 + 晓东, not 欧 + 阳晓东. */
const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '令狐',
  '端木',
];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_CELL = 500;

const ROLE_WORDS: Array<[Role, string[]]> = [
  ['speaker', ['speaker', 'redner', 'referent', 'referentin', '演讲', '演讲嘉宾', '讲者', '发言人']],
  ['partner', ['partner', 'sponsor', 'exhibitor', 'aussteller', '合作伙伴', '赞助']],
  ['press', ['press', 'media', 'journalist', 'presse', '媒体', '记者']],
  ['staff', ['staff', 'crew', 'volunteer', 'mitarbeiter', 'personal', 'helfer', '工作人员', '志愿者']],
  ['vip', ['vip', 'guest of honour', 'ehrengast', '贵宾', '领导']],
];
const CANCELLED_WORDS = [
  'cancelled',
  'canceled',
  'not attending',
  'refunded',
  'withdrawn',
  'rejected',
  'storniert',
  'abgesagt',
  '已取消',
  '取消',
  '退票',
];

// Folded once, not per row: folding every role word for each of 100,000 rows took ~0.8 s.
const FOLDED_ROLE_WORDS: Array<[Role, string[]]> = ROLE_WORDS.map(([role, words]) => [role, words.map(fold)]);
const FOLDED_CANCELLED_WORDS = new Set(CANCELLED_WORDS.map(fold));

export function roleFrom(value: string): Role {
  const v = fold(value);
  if (v.length === 0) return 'guest';
  for (const [role, words] of FOLDED_ROLE_WORDS) if (words.some((w) => v === w || v.startsWith(`${w} `))) return role;
  return 'guest';
}

export function isCancelledStatus(value: string): boolean {
  const v = fold(value);
  return v.length > 0 && FOLDED_CANCELLED_WORDS.has(v);
}

/** pretix exports "Requires special attention" as Yes/No: a yes/no column is a flag, not a note. */
export function noteFrom(value: string): string {
  const v = fold(value);
  if (['', 'no', 'false', '0', 'nein', 'n', '否', '无'].includes(v)) return '';
  if (['yes', 'true', '1', 'ja', 'y', '是'].includes(v)) return 'Requires special attention';
  return value;
}

/** Splits a full name: CJK names family-first as written; otherwise the last word is the family name. */
export function splitFullName(name: string): { familyName: string; givenName: string } {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (CJK.test(trimmed)) {
    const parts = trimmed.split(' ');
    if (parts.length > 1) return { familyName: parts[0]!, givenName: parts.slice(1).join(' ') };
    const compound = COMPOUND_SURNAMES.find((s) => trimmed.startsWith(s) && trimmed.length > s.length);
    const cut = compound?.length ?? 1;
    return { familyName: trimmed.slice(0, cut), givenName: trimmed.slice(cut) };
  }
  const words = trimmed.split(' ');
  if (words.length === 1) return { familyName: trimmed, givenName: '' };
  return { familyName: words[words.length - 1]!, givenName: words.slice(0, -1).join(' ') };
}

/** A forum named by id, any of its names or its room, folded. */
export function forumResolver(forums: readonly ForumRef[]): (value: string) => string | null {
  const index = new Map<string, string>();
  for (const f of forums)
    for (const key of [f.id, f.name.zh, f.name.en, f.name.de, f.room]) if (key.trim()) index.set(fold(key), f.id);
  return (value) => index.get(fold(value)) ?? null;
}

export function toRecords(
  headers: readonly string[],
  rows: readonly string[][],
  mapping: ColumnMapping,
  forums: readonly ForumRef[],
): { records: RosterRecord[]; errors: RowError[] } {
  const records: RosterRecord[] = [];
  const errors: RowError[] = [];
  const resolveForum = forumResolver(forums);
  const codeRows = new Map<string, number>();
  const columnName = (field: RosterField): string => {
    const i = mapping[field];
    return i === undefined ? field : (headers[i] ?? field);
  };

  rows.forEach((cells, index) => {
    const row = index + 2; // spreadsheet row: 1 is the header
    const get = (field: RosterField): string => {
      const i = mapping[field];
      return i === undefined ? '' : (cells[i] ?? '').trim();
    };
    const fail = (field: RosterField, code: RowErrorCode, message: string): void => {
      errors.push({ row, column: columnName(field), code, message });
    };
    for (const field of Object.keys(mapping) as RosterField[]) {
      if (get(field).length > MAX_CELL) fail(field, 'value_too_long', `longer than ${MAX_CELL} characters`);
    }

    const full = get('fullName');
    let familyName = get('familyName');
    let givenName = get('givenName');
    if (full.length === 0 && familyName.length === 0 && givenName.length === 0) {
      fail('fullName', 'missing_name', 'the guest has no name');
      return;
    }
    if (familyName.length === 0 && givenName.length === 0) ({ familyName, givenName } = splitFullName(full));
    const cjk = CJK.test(`${familyName}${givenName}${full}`);
    // CJK names are shown family-first as written; Latin names as "given family" unless a full name is given.
    const displayName =
      full.length > 0 ? full : cjk ? `${familyName}${givenName}` : `${givenName} ${familyName}`.trim();

    const email = get('email');
    if (email.length > 0 && !EMAIL.test(email))
      fail('email', 'bad_email', `"${email.slice(0, 80)}" is not an email address`);

    const code = get('code');
    if (code.length > 0) {
      const first = codeRows.get(code);
      if (first !== undefined) fail('code', 'duplicate_code', `code ${code} is also on row ${first}`);
      else codeRows.set(code, row);
    }

    const forumPreferences: string[] = [];
    for (const field of ['forum1', 'forum2', 'forum3'] as const) {
      const value = get(field);
      if (value.length === 0) continue;
      const id = resolveForum(value);
      if (id === null) fail(field, 'unknown_forum', `no sub-forum called "${value.slice(0, 80)}"`);
      else if (!forumPreferences.includes(id)) forumPreferences.push(id);
    }

    records.push({
      row,
      displayName,
      familyName,
      givenName,
      nativeName: cjk ? displayName : '',
      latinName: get('latinName'),
      organization: get('organization'),
      email,
      phone: get('phone'),
      code,
      role: roleFrom(get('role')),
      forumPreferences,
      note: noteFrom(get('note')),
      cancelled: isCancelledStatus(get('status')),
    });
  });
  return { records, errors };
}
