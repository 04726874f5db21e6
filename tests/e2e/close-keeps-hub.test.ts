import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { translate } from '../../shared/i18n/index.ts';
import { launchChromium } from '../support/browser.ts';
import { SHOTS } from '../support/door-browser.ts';
import { callApi } from '../support/door-page.ts';
import { startKioskHost } from '../support/kiosk-host.ts';
import { tempDir } from '../support/temp.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * Settings → Close this event on a laptop that was the venue hub: the panel says that DIR/hub/ stays (it may
 * hold the only server copy of other doors' check-ins), in 中文, Deutsch and English, by keyboard, at 1366×768.
 */
describe('the close panel on the laptop that was the venue hub, in a real browser', () => {
  it('says the hub folder stays, in 中文, Deutsch and English', async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const data = tempDir('e2e-close-hub');
    const profile = tempDir('e2e-close-hub-profile');
    cleanups.push(data.cleanup, profile.cleanup);
    const { kiosk, host } = await startKioskHost(data.dir);
    const context = await launchChromium(profile.dir, 'en-US');
    cleanups.push(async () => {
      await context.close();
      await host.close();
      kiosk.close();
    });
    await callApi(host.url, 'event.loadDemo', {});
    const hub = path.join(data.dir, 'hub');
    fs.mkdirSync(path.join(hub, 'pgdata'), { recursive: true });
    const page = await context.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    for (const locale of ['zh-CN', 'de', 'en'] as const) {
      await page.goto(host.url);
      await page.evaluate((l) => localStorage.setItem('lanyard.locale', l), locale);
      await page.reload();
      await page.getByTestId('scan-input').waitFor();
      await page.getByTestId('nav-settings').focus();
      await page.keyboard.press('Enter');
      const kept = page.getByTestId('close-hub-kept');
      await kept.waitFor();
      expect(await kept.textContent()).toBe(translate(locale, 'close.hubKept', { dir: hub }));
      await kept.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `close-hub-kept-${locale}.png`) });
    }
    expect(fs.existsSync(hub)).toBe(true);
  }, 120_000);
});
