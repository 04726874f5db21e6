import type { EventInfo } from '../../domain.ts';
import type { AttendanceRow } from './attendance.ts';

/**
 * The attendance export in the reader's language: column headers, sheet names, the summary,
 * yes/no, and forum names instead of their ids. An export asked for without a language keeps the
 * English headers and forum ids that scripts written against earlier versions read.
 */
export const exportLanguages = ['zh-CN', 'en', 'de'] as const;
export type ExportLanguage = (typeof exportLanguages)[number];

/** A localised export: its language and the event's forums (for their names). */
export interface ExportLocale {
  lang: ExportLanguage;
  forums: EventInfo['forums'];
}

type Labels = {
  columns: Record<keyof AttendanceRow, string>;
  yes: string;
  no: string;
  sheets: { attendance: string; noShows: string; walkIns: string; summary: string; forum: string };
  summary: {
    measure: string;
    value: string;
    event: string;
    registered: string;
    checkedIn: string;
    noShows: string;
    walkIns: string;
    cancelled: string;
    duplicates: string;
    voided: string;
    assigned: string;
  };
};

const en: Labels = {
  columns: {
    guestId: 'Guest ID',
    name: 'Name',
    familyName: 'Family name',
    givenName: 'Given name',
    nativeName: 'Native script name',
    latinName: 'Latin name',
    organization: 'Organisation',
    role: 'Role',
    email: 'Email',
    phone: 'Phone',
    codes: 'Codes',
    status: 'Registration status',
    walkIn: 'Walk-in',
    checkedIn: 'Checked in',
    firstArrival: 'First arrival',
    firstArrivalLocal: 'First arrival',
    door: 'Door',
    checkedInBy: 'Checked in by',
    checkinCount: 'Check-ins',
    duplicates: 'Duplicate check-ins (other doors)',
    voided: 'Voided check-ins',
    forumAssigned: 'Sub-forum assigned',
    forumsAttended: 'Sub-forums attended',
  },
  yes: 'yes',
  no: 'no',
  sheets: {
    attendance: 'Attendance',
    noShows: 'No-shows',
    walkIns: 'Walk-ins',
    summary: 'Summary',
    forum: 'Forum {name}',
  },
  summary: {
    measure: 'Measure',
    value: 'Value',
    event: 'Event',
    registered: 'Registered (not removed)',
    checkedIn: 'Checked in',
    noShows: 'No-shows',
    walkIns: 'Walk-ins',
    cancelled: 'Cancelled',
    duplicates: 'Guests with duplicate check-ins',
    voided: 'Voided check-ins',
    assigned: 'Assigned to {name} (capacity {capacity})',
  },
};

const de: Labels = {
  columns: {
    guestId: 'Gast-ID',
    name: 'Name',
    familyName: 'Nachname',
    givenName: 'Vorname',
    nativeName: 'Name in Originalschrift',
    latinName: 'Name in lateinischer Schrift',
    organization: 'Organisation',
    role: 'Rolle',
    email: 'E-Mail',
    phone: 'Telefon',
    codes: 'Codes',
    status: 'Anmeldestatus',
    walkIn: 'Spontangast',
    checkedIn: 'Eingecheckt',
    firstArrival: 'Erste Ankunft',
    firstArrivalLocal: 'Erste Ankunft',
    door: 'Eingang',
    checkedInBy: 'Eingecheckt von',
    checkinCount: 'Check-ins',
    duplicates: 'Doppelte Check-ins (andere Eingänge)',
    voided: 'Rückgängig gemachte Check-ins',
    forumAssigned: 'Zugewiesenes Unterforum',
    forumsAttended: 'Besuchte Unterforen',
  },
  yes: 'ja',
  no: 'nein',
  sheets: {
    attendance: 'Anwesenheit',
    noShows: 'Nicht erschienen',
    walkIns: 'Spontangäste',
    summary: 'Übersicht',
    forum: 'Forum {name}',
  },
  summary: {
    measure: 'Kennzahl',
    value: 'Wert',
    event: 'Veranstaltung',
    registered: 'Angemeldet (nicht entfernt)',
    checkedIn: 'Eingecheckt',
    noShows: 'Nicht erschienen',
    walkIns: 'Spontangäste',
    cancelled: 'Abgesagt',
    duplicates: 'Gäste mit doppeltem Check-in',
    voided: 'Rückgängig gemachte Check-ins',
    assigned: '{name} zugewiesen (Plätze {capacity})',
  },
};

const zh: Labels = {
  columns: {
    guestId: '嘉宾编号',
    name: '姓名',
    familyName: '姓',
    givenName: '名',
    nativeName: '原文姓名',
    latinName: '拉丁字母姓名',
    organization: '单位',
    role: '身份',
    email: '邮箱',
    phone: '电话',
    codes: '编码',
    status: '报名状态',
    walkIn: '现场登记',
    checkedIn: '已签到',
    firstArrival: '首次到场',
    firstArrivalLocal: '首次到场',
    door: '入口',
    checkedInBy: '签到工作人员',
    checkinCount: '签到次数',
    duplicates: '重复签到（其他入口）',
    voided: '撤销的签到',
    forumAssigned: '分配的分论坛',
    forumsAttended: '参加的分论坛',
  },
  yes: '是',
  no: '否',
  sheets: { attendance: '签到名单', noShows: '未到场', walkIns: '现场登记', summary: '汇总', forum: '分论坛 {name}' },
  summary: {
    measure: '指标',
    value: '数值',
    event: '活动',
    registered: '报名人数（未移除）',
    checkedIn: '已签到',
    noShows: '未到场',
    walkIns: '现场登记',
    cancelled: '已取消',
    duplicates: '重复签到的嘉宾',
    voided: '撤销的签到',
    assigned: '分配到 {name}（容量 {capacity}）',
  },
};

const labels: Record<ExportLanguage, Labels> = { 'zh-CN': zh, en, de };

export function exportLabels(lang: ExportLanguage): Labels {
  return labels[lang];
}

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/** A text in the export's language: Chinese for zh-CN, else the language's own, else English. */
export function localName(name: { zh: string; en: string; de: string }, lang: ExportLanguage): string {
  const own = lang === 'zh-CN' ? name.zh : lang === 'de' ? name.de : name.en;
  return own || name.en || name.zh || name.de;
}

/** Forum ids in a row's forum columns, as names in the export's language. */
export function forumNamesOf(ids: string, locale: ExportLocale): string {
  if (ids === '') return '';
  return ids
    .split(', ')
    .map((id) => {
      const forum = locale.forums.find((f) => f.id === id);
      return forum === undefined ? id : localName(forum.name, locale.lang);
    })
    .join(', ');
}
