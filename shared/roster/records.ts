import type { NameParts, Role } from '../domain.ts';
import { fold } from '../search/fold.ts';
import { forumMatcher, forumMatchMessage, type ForumMatch, type ForumNames } from './forum-match.ts';
import type { ColumnMapping, RosterField } from './mapping.ts';
import { cleanText } from '../text/clean.ts';
import { ShardedMap } from '../sharded-map.ts';

/**
 * Rows of a roster file → guest records, with every blocking problem reported at once (row number as
 * the user sees it in a spreadsheet, column header, stable code). Runtime-neutral and pure.
 */
export interface RosterRecord extends NameParts {
  row: number;
  displayName: string;
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
  'ambiguous_forum',
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

export type ForumRef = ForumNames;

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

/** `fn` remembering its answers for the first 10,000 distinct arguments (bounded memory on any file). */
function memo<T>(fn: (value: string) => T): (value: string) => T {
  const seen = new Map<string, T>();
  return (value) => {
    const known = seen.get(value);
    if (known !== undefined || seen.has(value)) return known as T;
    const answer = fn(value);
    if (seen.size < 10_000) seen.set(value, answer);
    return answer;
  };
}

/** Trims spaces (ASCII, no-break, ideographic) at both ends, nothing else. */
function trimSpaces(value: string): string {
  return value.replace(/^[ \u00a0\u3000]+|[ \u00a0\u3000]+$/g, '');
}

const isTrimmedSpace = (c: number): boolean => c === 0x20 || c === 0xa0 || c === 0x3000;

/**
 * Whether a cell is already as cleanText and trimSpaces would leave it: no control character, no surrogate
 * (a pair is fine, but is left to the careful path), no space at either end. Nearly every cell is; the
 * careful path (two regex replaces, a surrogate test, a trim) was ~40% of checking a 100,000-row file.
 */
function plainCell(value: string): boolean {
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return n === 0 || (!isTrimmedSpace(value.charCodeAt(0)) && !isTrimmedSpace(value.charCodeAt(n - 1)));
}

/** A cell as imported: control characters out (TAB and line breaks stay), spaces trimmed. */
function cellValue(raw: string): string {
  return plainCell(raw) ? raw : trimSpaces(cleanText(raw, 'multiline'));
}

/**
 * Reads a file's rows a chunk at a time, so a big import can yield between chunks; what must hold across
 * the whole file (a code used twice) is remembered between calls.
 */
export class RecordReader {
  private readonly headers: readonly string[];
  private readonly mapping: ColumnMapping;
  private readonly mapped: Array<[RosterField, number]>;
  private readonly codeRows = new ShardedMap<number>(); // a row each: sharded (sharded-map.ts)
  // Roles, notes, statuses and forums repeat down a file: each distinct cell is interpreted once.
  private readonly role = memo(roleFrom);
  private readonly note = memo(noteFrom);
  private readonly cancelled = memo(isCancelledStatus);
  private readonly forum: (value: string) => ForumMatch;
  private readonly forums: readonly ForumRef[];

  constructor(headers: readonly string[], mapping: ColumnMapping, forums: readonly ForumRef[]) {
    this.headers = headers;
    this.mapping = mapping;
    this.mapped = (Object.entries(mapping) as Array<[RosterField, number]>).filter(([, i]) => i !== undefined);
    this.forums = forums;
    this.forum = memo(forumMatcher(forums));
  }

  /** Rows `first`, `first + 1`, … of the file (0 is the first row after the header). */
  read(rows: readonly string[][], first: number): { records: RosterRecord[]; errors: RowError[] } {
    const records: RosterRecord[] = [];
    const errors: RowError[] = [];
    const { mapping, headers, codeRows } = this;
    let cells: readonly string[] = [];
    let row = 0;
    const get = (field: RosterField): string => {
      const i = mapping[field];
      // Control characters leave imported text here (a NUL in an imported name was once stored, and
      // then the event could not be published). TAB and line breaks stay, and only spaces are trimmed: a
      // leading TAB, CR or LF is part of the value (so "\t=1+1" is not stored as the formula-like "=1+1");
      // the export neutralises it either way.
      return i === undefined ? '' : cellValue(cells[i] ?? '');
    };
    const fail = (field: RosterField, code: RowErrorCode, message: string): void => {
      const i = mapping[field];
      errors.push({ row, column: i === undefined ? field : (headers[i] ?? field), code, message });
    };

    for (let index = 0; index < rows.length; index++) {
      cells = rows[index]!;
      row = first + index + 2; // spreadsheet row: 1 is the header
      for (const [field, i] of this.mapped) {
        const cell = cells[i];
        if (cell !== undefined && cell.length > MAX_CELL && cell.trim().length > MAX_CELL)
          fail(field, 'value_too_long', `longer than ${MAX_CELL} characters`);
      }
      const full = get('fullName');
      let familyName = get('familyName');
      let givenName = get('givenName');
      if (full.length === 0 && familyName.length === 0 && givenName.length === 0) {
        fail('fullName', 'missing_name', 'the guest has no name');
        continue;
      }
      if (familyName.length === 0 && givenName.length === 0) ({ familyName, givenName } = splitFullName(full));
      const cjk = CJK.test(familyName) || CJK.test(givenName) || CJK.test(full);
      // CJK names are shown family-first as written; Latin names as "given family" unless a full name is given.
      const displayName =
        full.length > 0 ? full : cjk ? `${familyName}${givenName}` : `${givenName} ${familyName}`.trim();

      const email = get('email');
      if (email.length > 0 && !EMAIL.test(email))
        fail('email', 'bad_email', `"${email.slice(0, 80)}" is not an email address`);

      const code = get('code');
      if (code.length > 0) {
        const earlier = codeRows.get(code);
        if (earlier !== undefined) fail('code', 'duplicate_code', `code ${code} is also on row ${earlier}`);
        else codeRows.set(code, row);
      }

      const forumPreferences: string[] = [];
      for (const field of ['forum1', 'forum2', 'forum3'] as const) {
        const value = get(field);
        if (value.length === 0) continue;
        const match = this.forum(value);
        if (!match.ok) fail(field, match.code, forumMatchMessage(value, match, this.forums));
        else if (!forumPreferences.includes(match.forumId)) forumPreferences.push(match.forumId);
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
        role: this.role(get('role')),
        forumPreferences,
        note: this.note(get('note')),
        cancelled: this.cancelled(get('status')),
      });
    }
    return { records, errors };
  }
}

/** A whole file's rows at once (small files, tests). */
export function toRecords(
  headers: readonly string[],
  rows: readonly string[][],
  mapping: ColumnMapping,
  forums: readonly ForumRef[],
): { records: RosterRecord[]; errors: RowError[] } {
  return new RecordReader(headers, mapping, forums).read(rows, 0);
}
