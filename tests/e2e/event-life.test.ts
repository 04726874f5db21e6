import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createKiosk } from '../../electron/core/kiosk.ts';
import { launchChromium } from '../support/browser.ts';
import { SHOTS } from '../support/door-browser.ts';
import { lookup, scanLikeAWedge } from '../support/door-page.ts';
import { startKioskHost } from '../support/kiosk-host.ts';
import { testSecrets } from '../support/secrets.ts';
import { tempDir } from '../support/temp.ts';
import { asOwner, must } from '../support/call.ts';

/**
 * Issue 11, the whole life of an event on a kiosk in Chromium, by keyboard, in 中文 and English: a blank
 * kiosk → set up from another kiosk's file → two lists (a GB18030 Excel CSV and an Eventbrite export) →
 * one of them again as the complete list (only its missing guest removed) → a scan → a backup → closing
 * refused until the bundle is exported → closed: the welcome screen and an empty data directory.
 */
const INSTITUTES =
  '姓名,单位,邮箱,票号,分论坛\r\n' +
  '刘青,长三角国家技术创新中心,liuqing@example.cn,CN-001,生物医药\r\n' +
  '欧阳晓东,上海测试研究院,ouyang@example.cn,CN-002,信息技术\r\n' +
  'Jürgen Weiß,Großmann AG,juergen@example.de,CN-003,材料\r\n';
const EVENTBRITE = fs.readFileSync(
  path.resolve(import.meta.dirname, '../fixtures/roster/eventbrite-attendee-summary.csv'),
);
const PASSPHRASE = 'usb stick at door 2';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function press(page: Page, testId: string, key = 'Enter'): Promise<void> {
  await page.getByTestId(testId).focus();
  await page.keyboard.press(key);
}

describe('the life of an event on a kiosk, in a real browser', () => {
  for (const locale of ['zh-CN', 'en-US'] as const) {
    const tag = locale === 'zh-CN' ? 'zh' : 'en';
    it(`${locale}: from a blank kiosk to a closed event and an empty data directory`, async () => {
      fs.mkdirSync(SHOTS, { recursive: true });
      const files = tempDir(`e2e-life-files-${tag}`);
      const data = tempDir(`e2e-life-${tag}`);
      const profile = tempDir(`e2e-life-profile-${tag}`);
      cleanups.push(files.cleanup, data.cleanup, profile.cleanup);

      // The organiser's kiosk prepared the event and wrote its set-up file to a USB stick.
      const organiser = tempDir(`e2e-life-organiser-${tag}`);
      cleanups.push(organiser.cleanup);
      const prepared = createKiosk({ dataDir: organiser.dir, now: Date.now, secrets: testSecrets });
      must(asOwner(prepared), 'event.loadDemo', {});
      const setupFile = path.join(files.dir, 'lanyard-setup.json');
      fs.writeFileSync(setupFile, must(asOwner(prepared), 'handoff.exportSetup', { passphrase: PASSPHRASE }).text);
      prepared.close();

      const { kiosk, host } = await startKioskHost(data.dir);
      const context: BrowserContext = await launchChromium(profile.dir, locale);
      cleanups.push(async () => {
        await context.close();
        await host.close();
        kiosk.close();
      });
      const page = await context.newPage();
      await page.setViewportSize({ width: 1366, height: 768 });
      const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `life-${name}-${tag}.png`) });
      try {
        await page.goto(host.url);
        await page.getByTestId('welcome-setup-file').waitFor();
        await shot('01-welcome');

        // Welcome → Set up from a file; a wrong passphrase is refused and changes nothing.
        await press(page, 'welcome-setup-file');
        await page.getByTestId('setup-file-input').setInputFiles(setupFile);
        await page.getByTestId('setup-file-passphrase').focus();
        await page.keyboard.type('not the passphrase', { delay: 80 }); // a person's pace: a burst is a scan
        await press(page, 'setup-file-submit');
        await expect
          .poll(() => page.getByTestId('setup-file-error').textContent())
          .toContain(locale === 'zh-CN' ? '口令无法打开' : 'passphrase does not open');
        await shot('02-setup-wrong-passphrase');
        await page.getByTestId('setup-file-passphrase').fill('');
        await page.getByTestId('setup-file-passphrase').focus();
        await page.keyboard.type(PASSPHRASE, { delay: 80 });
        await press(page, 'setup-file-submit');
        await page.getByTestId('scan-input').waitFor();
        await shot('03-door-after-setup');

        // Two lists, then the institutes' list again as the complete list.
        const write = (name: string, bytes: Buffer) => {
          const file = path.join(files.dir, name);
          fs.writeFileSync(file, bytes);
          return file;
        };
        const importFile = async (file: string, list: string, options: { preset?: string; replace?: boolean }) => {
          await page.getByTestId('roster-file').setInputFiles(file);
          await expect.poll(() => page.getByTestId('roster-list-name').inputValue()).not.toBe('');
          await page.getByTestId('roster-list-name').fill(list);
          if (options.preset !== undefined) await page.getByTestId('roster-preset').selectOption(options.preset);
          if (options.replace === true) {
            await press(page, 'roster-replace', 'Space');
            await press(page, 'roster-dry-run');
            await expect.poll(() => page.getByTestId('roster-removals').textContent()).toContain('欧阳晓东');
          }
          await press(page, 'roster-import-button');
          await expect.poll(() => page.getByTestId('roster-summary').getAttribute('data-applied')).toBe('true');
        };
        await press(page, 'nav-roster');
        await importFile(write('Institutes.csv', iconv.encode(INSTITUTES, 'gb18030')), 'Institutes', {});
        await importFile(write('attendees-report.csv', EVENTBRITE), 'Eventbrite', { preset: 'eventbrite' });
        expect((await lookup(host.url, 'CN-002')).status).toBe('active');
        expect((await lookup(host.url, '98765432111001')).name).toContain('Dupont');
        const final = INSTITUTES.split('\r\n')
          .filter((line) => !line.startsWith('欧阳晓东'))
          .join('\r\n');
        await importFile(write('Institutes.csv', iconv.encode(final, 'gb18030')), 'Institutes', { replace: true });
        expect(await page.getByTestId('roster-summary').getAttribute('data-removed')).toBe('1');
        expect((await lookup(host.url, 'CN-002')).status).toBe('removed');
        expect((await lookup(host.url, '98765432111001')).status).toBe('active'); // the other list's guest
        expect((await lookup(host.url, 'CN-003')).status).toBe('active');
        await page.getByTestId('roster-lists').scrollIntoViewIfNeeded();
        await shot('04-roster-two-lists');

        // At the door.
        await press(page, 'nav-door');
        await scanLikeAWedge(page, 'CN-001');
        await expect.poll(async () => (await lookup(host.url, 'CN-001')).checkedIn).toBe(true);
        await shot('05-door-scanned');

        // Settings: a backup now; closing refused until the bundle is exported after the last record.
        await press(page, 'nav-settings');
        await page.getByTestId('backups-panel').waitFor();
        await press(page, 'backups-now');
        await expect.poll(() => page.getByTestId('backups-list').locator('li').count()).toBe(1);
        await expect.poll(() => page.getByTestId('close-refused').isVisible()).toBe(true);
        const eventId = (await page.getByTestId('close-confirm').evaluate((e) => e.parentElement!.textContent)) ?? '';
        expect(eventId).toContain('open-day-2026');
        await page.getByTestId('close-confirm').focus();
        await page.keyboard.type('open-day-2026', { delay: 80 });
        expect(await page.getByTestId('close-event-button').isDisabled()).toBe(true);
        await shot('06-settings-refused');
        const download = page.waitForEvent('download');
        await press(page, 'close-export-bundle');
        expect((await download).suggestedFilename()).toMatch(/\.zip$/);
        await expect.poll(() => page.getByTestId('close-event-button').isDisabled()).toBe(false);
        await page.getByTestId('close-event').scrollIntoViewIfNeeded();
        await shot('07-settings-ready-to-close');
        await press(page, 'close-event-button');
        await page.getByTestId('welcome-setup-file').waitFor();
        await shot('08-welcome-after-close');
        expect(fs.readdirSync(data.dir)).toEqual([]);
      } catch (error) {
        await shot('FAILED');
        throw error;
      }
    }, 240_000);
  }
});
