import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import type { Guest } from '../../shared/domain.ts';
import type { RosterListView } from '../../shared/roster/contract-types.ts';
import { openRosterKiosk, type RosterKiosk } from '../support/roster-kiosk.ts';
import { valueOf as value } from '../support/call.ts';

/** Several guest lists on one roster (issue 11): imports add and update; only a complete list removes. */
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/roster');
let k: RosterKiosk;
afterEach(() => k.close());

const find = (query: string): Guest[] =>
  value<{ results: Guest[] }>(k.call('guests.search', { query, limit: 5 })).results;
const lists = () => value<{ lists: RosterListView[]; unlisted: number }>(k.call('roster.lists', {}));
const listCounts = () => Object.fromEntries(lists().lists.map((l) => [l.name, l.guests]));
const csv = (text: string) => Buffer.from(text);
const plain = { preset: '', dryRun: false, mapping: null };

/** The institutes' list as Excel saves a CSV in a Chinese locale: GB18030, one guest also on Eventbrite. */
const INSTITUTES =
  '姓名,单位,邮箱,票号,分论坛\r\n' +
  '刘青,长三角国家技术创新中心,liu@example.cn,CN-001,生物医药\r\n' +
  '欧阳晓东,上海测试研究院,ouyang@example.cn,CN-002,信息技术\r\n' +
  'Jürgen Weiß,Großmann AG,juergen@example.de,CN-003,材料\r\n';

describe('several lists, one roster', () => {
  it('an Eventbrite export and then a GB18030 Excel list keep each other; the same person is one guest', async () => {
    k = openRosterKiosk(false);
    const eb = await k.importFile(
      'attendees-2026.csv',
      fs.readFileSync(path.join(FIXTURES, 'eventbrite-attendee-summary.csv')),
      { ...plain, preset: 'eventbrite' },
    );
    expect(eb.preview).toMatchObject({ detectedPreset: 'eventbrite', listName: 'Eventbrite' });
    expect(eb.summary).toMatchObject({ applied: true, list: 'Eventbrite', added: 3, removed: 0, errors: [] });
    const weissBefore = find('juergen weiss')[0]!;

    const inst = await k.importFile('Institutes.csv', iconv.encode(INSTITUTES, 'gb18030'), plain);
    expect(inst.preview).toMatchObject({ encoding: 'gb18030', detectedPreset: '', listName: 'Institutes' });
    // Jürgen Weiß is on both (same email): updated, not added; nobody removed.
    expect(inst.summary).toMatchObject({
      applied: true,
      list: 'Institutes',
      added: 2,
      updated: 1,
      removed: 0,
      errors: [],
    });
    expect(find('chloe')[0]!.status).toBe('active'); // an Eventbrite guest the institutes' file lacks
    expect(find('liu qing')[0]).toMatchObject({ organization: '长三角国家技术创新中心', forumPreferences: ['biomed'] });

    const weiss = find('juergen weiss');
    expect(weiss).toHaveLength(1);
    expect(weiss[0]!.id).toBe(weissBefore.id);
    // Both lists' codes scan: the Eventbrite barcode and the institute's ticket number.
    expect(weiss[0]!.codes.sort()).toEqual(['98765432101001', 'CN-003']);
    expect(weiss[0]!.forumPreferences).toEqual(['materials']); // 材料 → 新材料
    expect(k.count(`SELECT count(*) AS n FROM list_members WHERE guest_id = '${weissBefore.id}'`)).toBe(2);
    for (const code of ['98765432101001', 'CN-003'])
      expect(value<{ guest: Guest }>(k.call('guests.scan', { code })).guest.id).toBe(weissBefore.id);

    expect(listCounts()).toEqual({ Eventbrite: 3, Institutes: 3 });
    expect(lists().lists[0]).toMatchObject({ name: 'Institutes', lastFileName: 'Institutes.csv' });
    expect(k.count(`SELECT count(*) AS n FROM guests`)).toBe(5);
  });

  it('the same code on two lists is one guest; a blank cell or the default role of one list does not erase the other', async () => {
    k = openRosterKiosk(false);
    await k.importFile(
      'speakers.csv',
      csv('Name,Company,Email,Code,Type\r\nAnna Berg,ACME,anna@acme.de,T-1,Speaker\r\n'),
      plain,
    );
    const { summary } = await k.importFile(
      'vip.csv',
      csv('Name,Company,Email,Code,Type\r\nAnna Berg,,,T-1,\r\n'),
      plain,
    );
    expect(summary).toMatchObject({ added: 0, unchanged: 1, errors: [] });
    expect(find('anna berg')).toEqual([
      expect.objectContaining({ email: 'anna@acme.de', organization: 'ACME', role: 'speaker' }),
    ]);
    expect(listCounts()).toEqual({ speakers: 1, vip: 1 });
  });

  it('a complete list removes only its own missing guest: other lists and walk-ins untouched', async () => {
    k = openRosterKiosk(false);
    const a1 = 'Name,Company,Email\r\nAnna Berg,A,anna@a.de\r\nBo Chen,B,bo@b.cn\r\nCara Diaz,C,cara@c.es\r\n';
    await k.importFile('a.csv', csv(a1), { ...plain, list: 'Registration' });
    await k.importFile('b.csv', csv('Name,Company,Email\r\nCara Diaz,C,cara@c.es\r\nDan Eze,D,dan@d.ng\r\n'), {
      ...plain,
      list: 'VIP',
    });
    // A walk-in who later turns up on the registration list too.
    value(k.call('guests.walkIn', { name: 'Eve Fox', organization: 'E', email: 'eve@e.org', role: 'guest' }));
    await k.importFile('a.csv', csv(`${a1}Eve Fox,E,eve@e.org\r\n`), { ...plain, list: 'registration' });
    expect(listCounts()).toEqual({ Registration: 4, VIP: 2 });

    // The registration system's complete export now has only Anna.
    const complete = { preset: '', mapping: null, list: 'Registration', replace: true };
    const onlyAnna = csv('Name,Company,Email\r\nAnna Berg,A,anna@a.de\r\n');
    const dry = await k.importFile('a-final.csv', onlyAnna, { ...complete, dryRun: true });
    expect(dry.summary).toMatchObject({ applied: false, replace: true, removed: 1, leftList: 2, errors: [] });
    expect(dry.summary.removedGuests.map((g) => g.name)).toEqual(['Bo Chen']);
    expect(find('bo chen')[0]!.status).toBe('active'); // the check changed nothing
    expect(listCounts()).toEqual({ Registration: 4, VIP: 2 });

    const { summary } = await k.importFile('a-final.csv', onlyAnna, { ...complete, dryRun: false });
    expect(summary).toMatchObject({ applied: true, removed: 1, leftList: 2 });
    expect(find('bo chen')[0]!.status).toBe('removed');
    expect(find('cara diaz')[0]!.status).toBe('active'); // still on VIP
    expect(find('eve fox')[0]).toMatchObject({ status: 'active', walkIn: true }); // a walk-in
    expect(find('dan eze')[0]!.status).toBe('active'); // another list's guest
    expect(listCounts()).toEqual({ Registration: 1, VIP: 2 });

    // Without "complete list", a file missing guests removes nobody.
    const partial = await k.importFile('b2.csv', csv('Name,Company,Email\r\nDan Eze,D,dan@d.ng\r\n'), {
      ...plain,
      list: 'VIP',
    });
    expect(partial.summary).toMatchObject({ removed: 0, leftList: 0 });
    expect(find('cara diaz')[0]!.status).toBe('active');
    // Cara leaves VIP with its complete file, and is then on no list: removed.
    const vipFinal = await k.importFile('b2.csv', csv('Name,Company,Email\r\nDan Eze,D,dan@d.ng\r\n'), {
      ...complete,
      list: 'VIP',
      dryRun: false,
    });
    expect(vipFinal.summary.removedGuests.map((g) => g.name)).toEqual(['Cara Diaz']);
    expect(find('cara diaz')[0]!.status).toBe('removed');
    // A later file that lists a removed guest again makes them active.
    await k.importFile('a.csv', csv(a1), { ...plain, list: 'Registration' });
    expect(find('bo chen')[0]!.status).toBe('active');
  });

  it('a list name is required; the preset names the list; names fold (Eventbrite = ｅｖｅｎｔｂｒｉｔｅ)', async () => {
    k = openRosterKiosk(false);
    const file = csv('Name,Email\r\nAnna Berg,anna@a.de\r\n');
    await expect(k.importFile('x.csv', file, { ...plain, list: '   ' })).rejects.toThrow(/invalid_input/);
    await k.importFile('x.csv', file, { ...plain, list: 'Eventbrite' });
    await k.importFile('y.csv', csv('Name,Email\r\nBo Chen,bo@b.cn\r\n'), { ...plain, list: 'ｅｖｅｎｔｂｒｉｔｅ' });
    expect(listCounts()).toEqual({ Eventbrite: 2 });
    expect(lists().unlisted).toBe(0);
  });
});

describe('forum names in a file', () => {
  const HEAD = 'Name,Email,Forum\r\n';
  it.each([
    ['the id', 'materials', 'materials'],
    ['the Chinese name', '新材料', 'materials'],
    ['the German name in capitals', 'WERKSTOFFE', 'materials'],
    ['part of exactly one name', '材料', 'materials'],
    ['full-width letters from a Chinese IME', 'ＩＴ', 'it'],
    ['the German name without its ampersand', 'energie umweltschutz', 'energy'],
    ['the English name in lower case', 'biomedicine', 'biomed'],
    ['part of exactly one German name', 'Maschinenbau', 'equipment'],
  ])('%s: %s', async (_label, cell, forumId) => {
    k = openRosterKiosk(false);
    const { summary } = await k.importFile('f.csv', csv(`${HEAD}Anna Berg,anna@a.de,${cell}\r\n`), plain);
    expect(summary.errors).toEqual([]);
    expect(find('anna berg')[0]!.forumPreferences).toEqual([forumId]);
  });

  it('ambiguous and unknown values are row errors naming the forums', async () => {
    k = openRosterKiosk(false);
    const file = csv(`${HEAD}Anna Berg,anna@a.de,tion\r\nBo Chen,bo@b.cn,Astrology\r\nCara Diaz,c@c.es,技术\r\n`);
    const { summary } = await k.importFile('f.csv', file, plain);
    expect(summary.applied).toBe(false);
    expect(summary.errors.map((e) => [e.row, e.code])).toEqual([
      [2, 'ambiguous_forum'],
      [3, 'unknown_forum'],
    ]);
    expect(summary.errors[0]!.message).toMatch(/信息技术.*\(it\)/);
    expect(summary.errors[0]!.message).toMatch(/\(energy\)/);
    expect(summary.errors[1]!.message).toContain('新材料 / Materials (materials)');
    expect(k.count(`SELECT count(*) AS n FROM guests`)).toBe(0);
  });
});
