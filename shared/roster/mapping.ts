import { fold } from '../search/fold.ts';

/**
 * Which file column feeds which guest field. Detected from header names in English, German and Chinese,
 * or taken from a preset for a known registration system's export; the user can adjust it.
 */
export const rosterFields = [
  'fullName',
  'familyName',
  'givenName',
  'latinName',
  'organization',
  'email',
  'phone',
  'code',
  'role',
  'forum1',
  'forum2',
  'forum3',
  'note',
  'status',
] as const;
export type RosterField = (typeof rosterFields)[number];

/** field → column index in the file (absent = not imported). */
export type ColumnMapping = Partial<Record<RosterField, number>>;

/** Header names per field, compared after folding (case, accents, punctuation). First match wins. */
const SYNONYMS: Record<RosterField, string[]> = {
  fullName: [
    'name',
    'full name',
    'attendee name',
    'participant',
    'teilnehmer',
    'teilnehmerin',
    'vollstandiger name',
    '姓名',
    '名字',
    '参会人',
    '参会人姓名',
    '嘉宾姓名',
  ],
  familyName: [
    'last name',
    'surname',
    'family name',
    'attendee name family name',
    'nachname',
    'familienname',
    '姓',
    '姓氏',
  ],
  givenName: ['first name', 'given name', 'forename', 'attendee name first name', 'vorname', '名'],
  latinName: [
    'pinyin',
    'latin name',
    'transcription',
    'english name',
    'name in latin',
    'romanization',
    'lateinischer name',
    '拼音',
    '英文名',
    '英文姓名',
  ],
  organization: [
    'organisation',
    'organization',
    'company',
    'firma',
    'institution',
    'affiliation',
    'unternehmen',
    'employer',
    '单位',
    '公司',
    '机构',
    '工作单位',
    '所在单位',
  ],
  email: [
    'email',
    'e mail',
    'email address',
    'e mail address',
    'mail',
    'e mail adresse',
    '邮箱',
    '电子邮件',
    '电子邮箱',
    '邮件',
  ],
  phone: [
    'phone',
    'telephone',
    'phone number',
    'mobile',
    'cell phone',
    'telefon',
    'telefonnummer',
    'handy',
    'mobiltelefon',
    '电话',
    '手机',
    '联系电话',
    '手机号',
  ],
  code: [
    'code',
    'ticket',
    'ticket code',
    'ticket number',
    'barcode',
    'barcode #',
    'secret',
    'qr code',
    'ticketnummer',
    'ticket nr',
    '票号',
    '条码',
    '二维码',
    '编号',
  ],
  role: ['role', 'type', 'category', 'ticket type', 'guest type', 'rolle', 'kategorie', 'typ', '类型', '身份', '类别'],
  forum1: [
    'forum',
    'sub forum',
    'subforum',
    'session',
    'track',
    'forum 1',
    'first choice',
    'fachforum',
    'unterforum',
    '分论坛',
    '分论坛1',
    '第一志愿',
  ],
  forum2: ['forum 2', 'second choice', 'fachforum 2', '分论坛2', '第二志愿'],
  forum3: ['forum 3', 'third choice', 'fachforum 3', '分论坛3', '第三志愿'],
  note: [
    'note',
    'notes',
    'comment',
    'remarks',
    'requires special attention',
    'attention',
    'bemerkung',
    'hinweis',
    'kommentar',
    '备注',
    '说明',
  ],
  status: ['status', 'attendee status', 'registration state', 'registration status', 'anmeldestatus', '状态'],
};

export function normalizeHeader(header: string): string {
  return fold(header.replace(/^\uFEFF/, '')).replace(/\s+/g, ' ');
}

/** A file's shape (its normalised headers), to remember the user's mapping for the next such file. */
export function shapeKey(headers: readonly string[]): string {
  return headers.map(normalizeHeader).join('|');
}

export function detectMapping(headers: readonly string[]): ColumnMapping {
  const normalized = headers.map(normalizeHeader);
  const mapping: ColumnMapping = {};
  const used = new Set<number>();
  for (const field of rosterFields) {
    for (const synonym of SYNONYMS[field]) {
      const target = normalizeHeader(synonym);
      const index = normalized.findIndex((h, i) => h === target && !used.has(i));
      if (index !== -1) {
        mapping[field] = index;
        used.add(index);
        break;
      }
    }
  }
  return mapping;
}

/**
 * Exports of known registration systems, by their exact column names (pretix's check-in list CSV from its
 * test suite; Eventbrite's attendee summary report; Indico's registrant export).
 */
export const presets: Record<
  string,
  { label: string; listName: string; columns: Partial<Record<RosterField, string>> }
> = {
  pretix: {
    label: 'pretix check-in list (CSV)',
    listName: 'pretix',
    columns: {
      fullName: 'Attendee name',
      givenName: 'Attendee name: First name',
      familyName: 'Attendee name: Family name',
      code: 'Secret',
      email: 'E-mail',
      organization: 'Company',
      role: 'Product',
      note: 'Requires special attention',
    },
  },
  eventbrite: {
    label: 'Eventbrite attendee summary',
    listName: 'Eventbrite',
    columns: {
      givenName: 'First Name',
      familyName: 'Last Name',
      email: 'Email',
      code: 'Barcode #',
      organization: 'Company',
      role: 'Ticket Type',
      phone: 'Cell Phone',
      status: 'Attendee Status',
    },
  },
  indico: {
    label: 'Indico registrants',
    listName: 'Indico',
    columns: {
      code: 'ID',
      fullName: 'Name',
      givenName: 'First Name',
      familyName: 'Last Name',
      email: 'Email',
      organization: 'Affiliation',
      phone: 'Phone',
      status: 'Registration state',
    },
  },
  generic: { label: 'Generic (detect from headers)', listName: '', columns: {} },
};

export type PresetName = keyof typeof presets;

/** A preset's columns found in these headers; everything else detected. Unknown preset → null. */
export function presetMapping(preset: string, headers: readonly string[]): ColumnMapping | null {
  const spec = presets[preset];
  if (spec === undefined) return null;
  const mapping = detectMapping(headers);
  const normalized = headers.map(normalizeHeader);
  for (const [field, column] of Object.entries(spec.columns) as Array<[RosterField, string]>) {
    const index = normalized.indexOf(normalizeHeader(column));
    if (index !== -1) {
      for (const f of rosterFields) if (mapping[f] === index) delete mapping[f];
      mapping[field] = index;
    }
  }
  return mapping;
}

/**
 * The registration system a file came from, recognised by its preset's column names: the preset with the
 * most of its columns present, if that is at least 4 and no other preset has as many. Else ''.
 */
export function detectPreset(headers: readonly string[]): string {
  const normalized = new Set(headers.map(normalizeHeader));
  let best = '';
  let bestScore = 0;
  let tie = false;
  for (const [id, spec] of Object.entries(presets)) {
    const score = Object.values(spec.columns).filter((c) => normalized.has(normalizeHeader(c))).length;
    if (score > bestScore) [best, bestScore, tie] = [id, score, false];
    else if (score === bestScore) tie = true;
  }
  return bestScore >= 4 && !tie ? best : '';
}
