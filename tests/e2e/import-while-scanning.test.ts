import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Guest } from '../../shared/domain.ts';
import type { RosterListView } from '../../shared/roster/contract-types.ts';
import { csvLine } from '../../shared/roster/csv.ts';
import { openDoorBrowser, type DoorBrowser } from '../support/door-browser.ts';
import { bannerId, callApi, wedgeScanHere } from '../support/door-page.ts';
import { tempDir } from '../support/temp.ts';

const ROWS = 20_000;
/** A list of `rows` new guests (ticket codes PREFIX-000001…), as a UTF-8 Excel CSV. */
function bigList(dir: string, prefix: string, rows: number): { file: string; codes: string[] } {
  const codes = Array.from({ length: rows }, (_, i) => `${prefix}-${String(i + 1).padStart(6, '0')}`);
  const lines = codes.map((code, i) => csvLine([`嘉宾 ${prefix} ${i + 1}`, '测试公司', `${code}@example.cn`, code]));
  const file = path.join(dir, `${prefix}.csv`);
  fs.writeFileSync(file, `\uFEFF${csvLine(['姓名', '单位', '邮箱', '票号'])}${lines.join('')}`);
  return { file, codes };
}

/** The same list as an Excel workbook (read in the import's worker thread). */
async function bigWorkbook(dir: string, prefix: string, rows: number): Promise<{ file: string; codes: string[] }> {
  const codes = Array.from({ length: rows }, (_, i) => `${prefix}-${String(i + 1).padStart(6, '0')}`);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Gäste');
  ws.addRow(['Name', 'Firma', 'E-Mail', 'Ticket']);
  codes.forEach((code, i) => ws.addRow([`Gast ${prefix} ${i + 1}`, 'Testfirma', `${code}@example.de`, code]));
  const file = path.join(dir, `${prefix}.xlsx`);
  fs.writeFileSync(file, new Uint8Array(await wb.xlsx.writeBuffer()));
  return { file, codes };
}

/**
 * Door staff start a big import from the Roster screen and keep scanning while it runs: each wedge scan
 * (5–10 ms per key, Enter) is answered with its own guest, whatever was clicked last; the progress speaks
 * the screen's language (CSV and XLSX); a guest only in the import still being written is not admitted as known;
 * Abbrechen leaves the lists exactly as they were. At 1366×768, in 中文 and Deutsch.
 */
describe('scans at wedge speed are answered during a big import', () => {
  const files = tempDir('e2e-import-while-scanning-files');
  let door: DoorBrowser;
  let page: Page;
  let url: string;
  let fresh: Guest[];

  beforeAll(async () => {
    door = await openDoorBrowser('import-while-scanning', { loadDemo: true, locale: 'zh-CN' });
    ({ page, url } = door);
    await page.setViewportSize({ width: 1366, height: 768 });
    const ids = Array.from({ length: 40 }, (_, i) => `g${String(i + 20).padStart(4, '0')}`);
    const guests = await Promise.all(ids.map((guestId) => callApi<Guest>(url, 'guests.get', { guestId })));
    fresh = guests.filter((g) => g.status === 'active' && !g.checkedIn && g.codes.length > 0);
    expect(fresh.length).toBeGreaterThan(8);
  });
  afterAll(async () => {
    await door.close();
    files.cleanup();
  });
  afterEach((ctx) => door.screenshotIfFailed(ctx));

  const progress = () => page.getByTestId('roster-progress');
  const writing = async () => (await progress().getAttribute('data-phase')) === 'writing';
  /** Scans `guest` from wherever focus is and waits for a new answer naming them, admitted. */
  const scanAndExpect = async (guest: Guest, msPerKey: number): Promise<void> => {
    const before = await bannerId(page);
    await wedgeScanHere(page, guest.codes[0]!, msPerKey);
    await expect.poll(() => bannerId(page), { timeout: 10_000 }).toBeGreaterThan(before);
    expect(await page.getByTestId('banner-name').textContent()).toBe(guest.name);
    expect(await page.getByTestId('banner').getAttribute('data-status')).toBe('checked_in');
  };
  const chooseFile = async (file: string, rows: number) => {
    await page.getByTestId('roster-file').setInputFiles(file);
    await expect
      .poll(() => page.getByTestId('roster-file-info').textContent(), { timeout: 30_000 })
      .toContain(String(rows));
  };
  const lists = () => callApi<{ lists: RosterListView[]; unlisted: number }>(url, 'roster.lists', {});

  it('in 中文: scans after clicking around are answered at once; progress in 中文; the counts at the end', async () => {
    const { file, codes } = bigList(files.dir, 'ZH', ROWS);
    await page.getByTestId('nav-roster').click();
    await chooseFile(file, ROWS);
    // Every count the progress shows while writing, in order (it must only ever go up).
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { writingSeen: number[] }).writingSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid=roster-progress][data-phase=writing]');
        const done = Number(bar?.getAttribute('data-done') ?? -1);
        if (done >= 0 && seen.at(-1) !== done) seen.push(done);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByTestId('roster-import-button').click();
    await expect.poll(writing, { timeout: 30_000, interval: 20 }).toBe(true);
    const text = await progress().textContent();
    expect(text).toMatch(/写入/);
    expect(text).not.toMatch(/[a-z]{4,}/i);

    // A guest only in the import still being written is not admitted as known.
    const before = await bannerId(page);
    await wedgeScanHere(page, codes[ROWS - 1]!, 5);
    await expect.poll(() => bannerId(page), { timeout: 10_000 }).toBeGreaterThan(before);
    const pendingStatus = await page.getByTestId('banner').getAttribute('data-status');

    await page.getByTestId('roster-list-name').click();
    await scanAndExpect(fresh.shift()!, 5);
    if (await writing()) await door.shot('import-while-scanning-zh'); // the answer over the running import
    await page.getByTestId('roster-import').locator('h2').click();
    await scanAndExpect(fresh.shift()!, 10);
    await page.getByTestId('nav-roster').click();
    await scanAndExpect(fresh.shift()!, 7);
    await page.getByTestId('scan-overlay-door').click();
    await page.getByTestId('scan-input').focus();
    await scanAndExpect(fresh.shift()!, 5);
    await page.getByTestId('nav-roster').click();

    await expect
      .poll(() => page.getByTestId('roster-summary').getAttribute('data-applied'), { timeout: 60_000 })
      .toBe('true');
    expect(await page.getByTestId('roster-summary').textContent()).toContain(`新增 ${ROWS}`);
    const writingSeen = await page.evaluate(() => (window as unknown as { writingSeen: number[] }).writingSeen);
    expect(writingSeen[0], `progress while writing: ${writingSeen.join(', ')}`).toBeLessThan(ROWS);
    expect(writingSeen).toEqual([...writingSeen].sort((a, b) => a - b));
    expect(Math.max(...writingSeen)).toBeLessThanOrEqual(ROWS);
    // The door never lied: the guest scanned mid-import is checked in exactly when it said so.
    const pending = await callApi<{ results: Guest[] }>(url, 'guests.search', { query: codes[ROWS - 1], limit: 1 });
    expect(pending.results[0]!.checkedIn).toBe(pendingStatus === 'checked_in');
    const zh = (await lists()).lists.find((l) => l.name === 'ZH');
    expect(zh?.guests).toBe(ROWS);
  }, 120_000);

  it('in Deutsch, a workbook: Abbrechen stops the import and leaves the lists exactly as they were', async () => {
    await page.getByTestId('lang-de').click();
    const { file, codes } = await bigWorkbook(files.dir, 'DE', ROWS);
    const listsBefore = await lists();
    await chooseFile(file, ROWS);
    await page.getByTestId('roster-import-button').click();
    await expect.poll(writing, { timeout: 30_000, interval: 20 }).toBe(true);
    expect(await progress().textContent()).toContain('geschrieben');
    // Switched to English mid-import, the progress follows at once.
    await page.getByTestId('lang-en').click();
    if (await writing()) expect(await progress().textContent()).toContain('Writing guests');
    await page.getByTestId('lang-de').click();
    await scanAndExpect(fresh.shift()!, 10);
    await page.getByTestId('roster-cancel').click();
    await expect
      .poll(() => page.getByTestId('roster-error').textContent(), { timeout: 30_000 })
      .toContain('Abgebrochen');
    await door.shot('import-cancelled-de');
    expect(await lists()).toEqual(listsBefore);
    const cancelled = await callApi<{ results: Guest[] }>(url, 'guests.search', { query: codes[0], limit: 1 });
    expect(cancelled.results.map((g) => g.codes).flat()).not.toContain(codes[0]);
    await scanAndExpect(fresh.shift()!, 5);
    await page.getByTestId('lang-zh-CN').click();
  });
});
