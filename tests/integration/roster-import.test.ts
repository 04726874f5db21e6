import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import type { Guest } from '../../shared/domain.ts';
import { openRosterKiosk, type RosterKiosk } from '../support/roster-kiosk.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/roster');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
let k: RosterKiosk;
afterEach(() => k.close());

const guests = (q: string): Guest[] => {
  const r = k.call('guests.search', { query: q, limit: 5 });
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as { results: Guest[] }).results;
};

const CHINESE_CSV =
  '姓名,单位,邮箱,票号,分论坛,类型\r\n刘青,长三角国家技术创新中心,liu@example.cn,CN-001,生物医药,演讲嘉宾\r\n欧阳晓东,"上海测试研究院, 二部",ouyang@example.cn,CN-002,信息技术,\r\n';

describe("importing registration systems' exports", () => {
  it('pretix check-in list: names from parts, secret as code, attention flag, product as role', async () => {
    k = openRosterKiosk(false);
    const { summary } = await k.importFile('pretix.csv', fixture('pretix-checkin-list.csv'), {
      preset: 'pretix',
      dryRun: false,
      mapping: null,
    });
    expect(summary).toMatchObject({ applied: true, added: 3, updated: 0, removed: 0, errors: [] });
    const jones = guests('peter jones')[0]!;
    expect(jones).toMatchObject({
      name: 'Peter A Jones',
      familyName: 'Jones',
      role: 'speaker',
      codes: ['hutjztuxhkbtwnesv2suqv26k6ttytxx'],
      note: 'Requires special attention',
    });
    expect(guests('andrea zulu')[0]!.note).toBe('');
    expect(guests('wang fang')[0]).toMatchObject({
      name: '王芳',
      familyName: '王',
      givenName: '芳',
      nativeName: '王芳',
    });
    const scan = k.call('guests.scan', { code: 'hutjztuxhkbtwnesv2suqv26k6ttytxx' });
    expect(scan.ok && (scan.value as { status: string }).status).toBe('checked_in');
  });

  it('Eventbrite attendee summary: barcode as code, "Not Attending" as cancelled, ticket type as role', async () => {
    k = openRosterKiosk(false);
    const { summary } = await k.importFile('eb.csv', fixture('eventbrite-attendee-summary.csv'), {
      preset: 'eventbrite',
      dryRun: false,
      mapping: null,
    });
    expect(summary).toMatchObject({ applied: true, added: 3, errors: [] });
    expect(guests('juergen weiss')[0]).toMatchObject({
      name: 'Jürgen Weiß',
      codes: ['98765432101001'],
      organization: 'Großmann AG',
    });
    expect(guests('chloe')[0]!.role).toBe('press');
    expect(guests('sam taylor')[0]!.status).toBe('cancelled');
  });

  it('Indico registrants: ID as code, withdrawn as cancelled', async () => {
    k = openRosterKiosk(false);
    const { summary } = await k.importFile('indico.csv', fixture('indico-registrants.csv'), {
      preset: 'indico',
      dryRun: false,
      mapping: null,
    });
    expect(summary).toMatchObject({ applied: true, added: 3, errors: [] });
    expect(guests('liu qing')[0]).toMatchObject({
      codes: ['101'],
      organization: 'Yangtze River Delta National Innovation Center',
    });
    expect(guests('kenji')[0]!.status).toBe('cancelled');
  });

  it('German semicolon CSV with a quoted newline, detected without a preset', async () => {
    k = openRosterKiosk(false);
    const { preview, summary } = await k.importFile('de.csv', fixture('semicolon-quoted-newlines.csv'), {
      preset: '',
      dryRun: false,
      mapping: null,
    });
    expect(preview).toMatchObject({ delimiter: ';', rowCount: 2 });
    expect(preview.mapping).toMatchObject({
      givenName: 0,
      familyName: 1,
      organization: 2,
      email: 3,
      code: 4,
      forum1: 5,
      note: 6,
    });
    expect(summary).toMatchObject({ applied: true, added: 2, errors: [] });
    expect(guests('anna muller')[0]).toMatchObject({
      organization: 'Müller & Söhne; Berlin',
      note: 'Rollstuhl;\nbitte Aufzug zeigen',
      forumPreferences: ['biomed'],
    });
  });
});

describe('encodings', () => {
  const cases: Array<[string, Buffer, string]> = [
    ['UTF-8 without BOM', Buffer.from(CHINESE_CSV, 'utf8'), 'utf-8'],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CHINESE_CSV, 'utf8')]), 'utf-8'],
    ['UTF-16 LE with BOM', iconv.encode(CHINESE_CSV, 'utf-16le', { addBOM: true }), 'utf-16le'],
    [
      'UTF-16 BE with BOM',
      Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(CHINESE_CSV, 'utf-16be')]),
      'utf-16be',
    ],
    ['GB18030 (Excel, Chinese locale)', iconv.encode(CHINESE_CSV, 'gb18030'), 'gb18030'],
    ['GBK', iconv.encode(CHINESE_CSV, 'gbk'), 'gb18030'],
  ];
  it.each(cases)('%s: Chinese names arrive intact', async (_label, bytes, encoding) => {
    k = openRosterKiosk(false);
    const { preview, summary } = await k.importFile('cn.csv', bytes, { preset: '', dryRun: false, mapping: null });
    expect(preview.encoding).toBe(encoding);
    expect(preview.headers).toEqual(['姓名', '单位', '邮箱', '票号', '分论坛', '类型']);
    expect(summary).toMatchObject({ applied: true, added: 2, errors: [] });
    expect(guests('lq')[0]).toMatchObject({ name: '刘青', role: 'speaker', forumPreferences: ['biomed'] });
    expect(guests('ouyang xiaodong')[0]).toMatchObject({
      familyName: '欧阳',
      givenName: '晓东',
      organization: '上海测试研究院, 二部',
      forumPreferences: ['it'],
    });
  });

  it('Windows-1252 (Excel, German locale): umlauts arrive intact, not as GB18030 nonsense', async () => {
    k = openRosterKiosk(false);
    const text =
      'Name,Organisation,E-Mail\r\nJürgen Müller,Größler & Söhne,jm@example.de\r\nKäthe Schröder,Bosch,ks@example.de\r\n';
    const { preview, summary } = await k.importFile('de.csv', iconv.encode(text, 'win1252'), {
      preset: '',
      dryRun: false,
      mapping: null,
    });
    expect(preview.encoding).toBe('windows-1252');
    expect(summary).toMatchObject({ applied: true, added: 2, errors: [] });
    expect(guests('jurgen muller')[0]).toMatchObject({ name: 'Jürgen Müller', organization: 'Größler & Söhne' });
    expect(guests('kathe')[0]).toMatchObject({ name: 'Käthe Schröder' });
  });

  it('XLSX: typed cells (numbers, dates) become text; a formula cell gives its value', async () => {
    k = openRosterKiosk(false);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Anmeldungen');
    ws.addRow(['Vorname', 'Nachname', 'Firma', 'Ticket', 'Angemeldet am']);
    ws.addRow(['Käthe', 'Köhler', 'Werk AG', 123456789012, new Date('2026-04-01T00:00:00Z')]);
    ws.addRow(['Søren', 'Nielsen', { formula: 'UPPER("nordic")', result: 'NORDIC' }, 'X-7', '']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const { preview, summary } = await k.importFile('reg.xlsx', bytes, { preset: '', dryRun: false, mapping: null });
    expect(preview).toMatchObject({ format: 'xlsx', rowCount: 2 });
    expect(summary).toMatchObject({ applied: true, added: 2, errors: [] });
    expect(guests('kathe kohler')[0]!.codes).toEqual(['123456789012']);
    expect(guests('soren')[0]!.organization).toBe('NORDIC');
  });

  it('XLSX: the first sheet with rows; gaps in rows and columns read as a spreadsheet shows them', async () => {
    k = openRosterKiosk(false);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Notes'); // empty: skipped
    const ws = wb.addWorksheet('Guests');
    ws.getCell('A1').value = 'Name';
    ws.getCell('B1').value = 'Company';
    ws.getCell('D1').value = 'Email'; // column C has no header
    ws.getCell('A2').value = 'Chloé Dupont';
    ws.getCell('D2').value = 'chloe@example.fr';
    ws.getCell('A4').value = { richText: [{ text: '王' }, { text: '芳', font: { bold: true } }] }; // row 3 blank
    ws.getCell('B4').value = { text: 'Institut', hyperlink: 'https://example.org' };
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const { preview } = await k.importFile('gaps.xlsx', bytes, { preset: '', dryRun: true, mapping: null });
    expect(preview.headers).toEqual(['Name', 'Company', '', 'Email']);
    expect(preview.sample).toEqual([
      ['Chloé Dupont', '', '', 'chloe@example.fr'],
      ['王芳', 'Institut', '', ''],
    ]);
    expect(preview.mapping).toMatchObject({ fullName: 0, organization: 1, email: 3 });
  });
});

describe('re-import of an updated list', () => {
  it('merges by code, email, then name+organisation; a complete list marks missing guests removed; keeps every check-in', async () => {
    k = openRosterKiosk(false);
    const v1 =
      'Name,Company,Email,Code\r\nAnna Müller,ACME,anna@acme.de,A-1\r\nBo Chen,Lab,bo@lab.cn,B-2\r\nCara Diaz,Org,cara@org.es,C-3\r\nDan Eze,Firm,,\r\n';
    const list = 'Registrations';
    await k.importFile('v1.csv', Buffer.from(v1), { preset: '', dryRun: false, mapping: null, list });
    const bo = guests('bo chen')[0]!;
    const checkin = k.call('guests.scan', { code: 'B-2' });
    expect(checkin.ok).toBe(true);
    const cara = guests('cara diaz')[0]!;
    k.call('guests.checkIn', { guestId: cara.id });

    const termOf = (name: string) =>
      k.kiosk.db!.prepare(`SELECT name_term FROM guests WHERE display_name = ?`).pluck().get(name) as number;
    const annaTerm = termOf('Anna Müller');
    const boTerm = termOf('Bo Chen');
    expect(k.count(`SELECT count(*) AS n FROM term_keys WHERE term_id = ${annaTerm}`)).toBeGreaterThan(0);
    // v2: Anna renamed (matched by code), Bo's code changed (matched by email), Dan matched by name+org,
    // Cara gone, Eve new.
    const v2 =
      'Name,Company,Email,Code\r\nAnna Müller-Schmidt,ACME,anna@acme.de,A-1\r\nBo Chen,Lab,bo@lab.cn,B-22\r\nDan Eze,Firm,,\r\nEve Fox,New,eve@new.org,E-5\r\n';
    const complete = { preset: '', mapping: null, list, replace: true };
    const dry = await k.importFile('v2.csv', Buffer.from(v2), { ...complete, dryRun: true });
    expect(dry.summary).toMatchObject({ applied: false, added: 1, updated: 2, unchanged: 1, removed: 1, errors: [] });
    expect(dry.summary.removedGuests).toEqual([{ id: cara.id, name: 'Cara Diaz', organization: 'Org' }]);
    expect(guests('eve fox')).toEqual([]);

    const { summary } = await k.importFile('v2.csv', Buffer.from(v2), { ...complete, dryRun: false });
    expect(summary).toMatchObject({ applied: true, added: 1, updated: 2, unchanged: 1, removed: 1 });
    const boAfter = guests('bo chen')[0]!;
    expect(boAfter.id).toBe(bo.id);
    expect(boAfter).toMatchObject({ codes: ['B-22'], checkedIn: true });
    const caraAfter = guests('cara diaz')[0]!;
    expect(caraAfter).toMatchObject({ id: cara.id, status: 'removed', checkedIn: true });
    expect(k.count(`SELECT count(*) AS n FROM checkins`)).toBe(2);
    expect(guests('anna muller schmidt')[0]!.codes).toEqual(['A-1']);
    // Anna's old name left its search term unused: it went with the import, its keys too. Bo's (unchanged) stays.
    expect(k.count(`SELECT count(*) AS n FROM search_terms WHERE id = ${annaTerm}`)).toBe(0);
    expect(k.count(`SELECT count(*) AS n FROM term_keys WHERE term_id = ${annaTerm}`)).toBe(0);
    expect(k.count(`SELECT count(*) AS n FROM search_terms WHERE id = ${boTerm}`)).toBe(1);
    expect(guests('anna muller')).toHaveLength(1);

    // Importing the same file again changes nothing.
    const again = await k.importFile('v2.csv', Buffer.from(v2), { ...complete, dryRun: false });
    expect(again.summary).toMatchObject({ added: 0, updated: 0, unchanged: 4, removed: 0 });
  });

  it('two guests with one name and organisation but their own emails stay two guests', async () => {
    k = openRosterKiosk(false);
    const v1 = 'Name,Company,Email\r\nWang Fang,Fudan University,wf1@fudan.edu.cn\r\nLi Lei,Fudan University,\r\n';
    await k.importFile('v1.csv', Buffer.from(v1), { preset: '', dryRun: false, mapping: null, list: 'Fudan' });
    // Another Wang Fang (another address) is added; Li Lei, now with an email, is the same guest.
    const v2 =
      'Name,Company,Email\r\nWang Fang,Fudan University,wf1@fudan.edu.cn\r\nWang Fang,Fudan University,wf2@fudan.edu.cn\r\nLi Lei,Fudan University,li@fudan.edu.cn\r\n';
    const { summary } = await k.importFile('v2.csv', Buffer.from(v2), {
      preset: '',
      dryRun: false,
      mapping: null,
      list: 'Fudan',
    });
    expect(summary).toMatchObject({ applied: true, added: 1, updated: 1, unchanged: 1, removed: 0, errors: [] });
    expect(k.count(`SELECT count(*) AS n FROM guests WHERE display_name = 'Wang Fang'`)).toBe(2);
  });

  it("remembers the user's mapping for files of the same shape", async () => {
    k = openRosterKiosk(false);
    const file = Buffer.from('Col A,Col B\r\nAnna Müller,ACME\r\n');
    const mapping = { fullName: 0, organization: 1 };
    await k.importFile('odd.csv', file, { preset: '', dryRun: false, mapping });
    const status = await k.upload('odd2.csv', Buffer.from('Col A,Col B\r\nBo Chen,Lab\r\n'));
    expect(status.result).toMatchObject({ remembered: true, mapping });
  });
});
