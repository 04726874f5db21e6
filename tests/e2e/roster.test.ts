import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateRoster } from '../../electron/core/demo/generate.ts';
import { csvLine } from '../../shared/roster/csv.ts';
import { openDoorBrowser, SHOTS, type DoorBrowser } from '../support/door-browser.ts';
import { callApi, lookup } from '../support/door-page.ts';
import { tempDir } from '../support/temp.ts';

/** An organiser imports a Chinese-Excel CSV through the mapping screen, fixes errors, imports, exports. */
describe('roster import and export in a real browser', () => {
  const files = tempDir('e2e-roster-files');
  let door: DoorBrowser;
  let page: Page;
  let url: string;

  beforeAll(async () => {
    door = await openDoorBrowser('roster', { loadDemo: true, locale: 'zh-CN' });
    ({ page, url } = door);
  });
  afterAll(async () => {
    await door.close();
    files.cleanup();
  });
  afterEach((ctx) => door.screenshotIfFailed(ctx));

  const writeGb18030 = (name: string, text: string) => {
    const file = path.join(files.dir, name);
    fs.writeFileSync(file, iconv.encode(text, 'gb18030'));
    return file;
  };

  it('shows the detected mapping and a preview, then every row error of a bad file, changing nothing', async () => {
    const bad = writeGb18030(
      'bad.csv',
      '姓名,单位,邮箱,票号,分论坛\r\n张伟,测试公司,zw@example.cn,N-1,生物医药\r\n,无名公司,x@example.cn,N-2,\r\n李娜,测试公司,not-mail,N-3,天文学\r\n',
    );
    await page.getByTestId('nav-roster').click();
    await page.getByTestId('roster-file').setInputFiles(bad);
    await expect.poll(() => page.getByTestId('roster-file-info').textContent()).toContain('gb18030');
    expect(await page.locator('select[name=map-fullName]').inputValue()).toBe('0');
    expect(await page.locator('select[name=map-forum1]').inputValue()).toBe('4');
    expect(await page.getByTestId('roster-preview').textContent()).toContain('张伟');
    await page.getByTestId('roster-import-button').click();
    await expect.poll(() => page.getByTestId('roster-summary').getAttribute('data-applied')).toBe('false');
    const codes = await page
      .getByTestId('roster-errors')
      .locator('tr[data-code]')
      .evaluateAll((rows) => rows.map((r) => `${r.children[0]!.textContent}:${r.getAttribute('data-code')}`));
    expect(codes.sort()).toEqual(['3:missing_name', '4:bad_email', '4:unknown_forum']);
    await page.screenshot({ path: path.join(SHOTS, '15-roster-errors.png') });
    expect((await lookup(url, 'zhang wei'))?.codes ?? []).not.toContain('N-1');
  });

  it('imports a corrected XLSX, and the guests are found at the door', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['姓名', '单位', '邮箱', '票号', '分论坛']);
    ws.addRow(['张伟', '测试公司', 'zw@example.cn', 'N-1', '生物医药']);
    ws.addRow(['李娜', '测试公司', 'ln@example.cn', 'N-3', '信息技术']);
    const file = path.join(files.dir, 'good.xlsx');
    fs.writeFileSync(file, new Uint8Array(await wb.xlsx.writeBuffer()));
    await page.getByTestId('roster-file').setInputFiles(file);
    await expect.poll(() => page.getByTestId('roster-file-info').textContent()).toContain('XLSX');
    await page.getByTestId('roster-dry-run').click();
    await expect.poll(() => page.getByTestId('roster-summary').textContent()).toContain('新增 2');
    expect(await page.getByTestId('roster-summary').getAttribute('data-applied')).toBe('false');
    await page.getByTestId('roster-import-button').click();
    await expect.poll(() => page.getByTestId('roster-summary').getAttribute('data-applied')).toBe('true');
    await page.screenshot({ path: path.join(SHOTS, '16-roster-imported.png') });
    expect(await lookup(url, 'N-3')).toMatchObject({
      name: '李娜',
      organization: '测试公司',
      forumPreferences: ['it'],
    });
    // At the door: the imported guest's ticket number scans green.
    await page.getByTestId('nav-door').click();
    await page.getByTestId('scan-input').focus();
    await page.keyboard.type('N-3', { delay: 4 });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('banner').getAttribute('data-status')).toBe('checked_in');
    await page.getByTestId('nav-roster').click();
  });

  it('exports attendance as XLSX and CSV downloads', async () => {
    await callApi(url, 'guests.scan', { code: 'N-1' });
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    const xlsxPath = path.join(files.dir, xlsx.suggestedFilename());
    await xlsx.saveAs(xlsxPath);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxPath);
    const names: unknown[] = [];
    wb.getWorksheet('Attendance')!.eachRow((row) => names.push(row.getCell(2).value));
    expect(names).toContain('张伟');

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csvPath = path.join(files.dir, csv.suggestedFilename());
    await csv.saveAs(csvPath);
    const bytes = fs.readFileSync(csvPath);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('张伟');
    await expect.poll(() => page.getByTestId('export-message').textContent()).toContain('.csv');
  });

  it('imports a 30,000-row list through the screen (staged), and its last guest scans green at the door', async () => {
    const guests = generateRoster(30_000, 21);
    const lines = guests.map((g) => csvLine([g.displayName, g.organization, g.email, `BIG-${g.codes[0]}`]));
    const file = path.join(files.dir, 'big.csv');
    fs.writeFileSync(file, `\uFEFF${csvLine(['Name', 'Company', 'Email', 'Ticket'])}${lines.join('')}`);
    await page.getByTestId('roster-file').setInputFiles(file);
    await expect.poll(() => page.getByTestId('roster-file-info').textContent(), { timeout: 20_000 }).toContain('30000');
    await page.getByTestId('roster-import-button').click();
    // The door answers while the import runs (it yields between chunks of 5,000 rows).
    const answered = await callApi<{ results: unknown[] }>(url, 'guests.search', { query: 'zhang', limit: 3 });
    expect(Array.isArray(answered.results)).toBe(true);
    await expect
      .poll(() => page.getByTestId('roster-summary').getAttribute('data-applied'), { timeout: 30_000 })
      .toBe('true');
    await page.screenshot({ path: path.join(SHOTS, '17-roster-big-import.png') });
    const last = guests[29_999]!;
    expect(await lookup(url, `BIG-${last.codes[0]}`)).toMatchObject({ name: last.displayName, email: last.email });
    await page.getByTestId('nav-door').click();
    await page.getByTestId('scan-input').focus();
    await page.keyboard.type(`BIG-${last.codes[0]}`, { delay: 2 });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('banner').getAttribute('data-status')).toBe('checked_in');
    await page.getByTestId('nav-roster').click();
  });
});
