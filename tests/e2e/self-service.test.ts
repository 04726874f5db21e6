import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import type { Kiosk } from '../../electron/core/kiosk.ts';
import type { HttpHost } from '../../electron/host/http.ts';
import type { Guest } from '../../shared/domain.ts';
import { doorSetUpFirst, SHOTS } from '../support/door-browser.ts';
import { callApi, signInByKeyboard, wedgeScanHere } from '../support/door-page.ts';

/**
 * Self-service in Chromium on the real loopback host: a supervisor switches the door over; a guest's badge
 * scanned after a click anywhere checks them in, greets them and shows the badge that prints; looking
 * oneself up by name shows nothing until the second fact matches (a wrong one shows nothing either); a
 * reload stays the guests' screen; a wrong PIN does not leave it, a supervisor's does. At 1366×768 and
 * 1080×1920 portrait, in English, Deutsch and 中文; screenshots in test-results/e2e/self-service-*.png.
 */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 50 });

describe('self-service in a real browser', () => {
  const door = doorSetUpFirst('self-service');
  let kiosk: Kiosk;
  let host: HttpHost;
  let page: Page;
  const consoleErrors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `self-service-${name}.png`) });
  const owner = () => createDispatcher(kiosk.ownerHandlers);
  const guest = (id: string) => {
    const r = owner()('guests.get', { guestId: id });
    if (!r.ok) throw new Error(r.error.message);
    return r.value as Guest;
  };
  const prints = (guestId: string) =>
    kiosk.db!.prepare(`SELECT count(*) FROM facts WHERE type = 'badge_print' AND guest_id = ?`).pluck().get(guestId);
  const answer = () => page.getByTestId('self-answer');

  beforeAll(async () => {
    ({ kiosk, host } = await door.start());
    await callApi(host.url, 'event.loadDemo', {});
    owner()('staff.add', { name: 'Bernd Vogel', role: 'supervisor', pin: '9876' });
    page = await door.openPage('en-US');
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(host.url);
  });
  afterAll(() => door.close());
  afterEach(async (ctx) => {
    await door.screenshotIfFailed(ctx);
    expect(consoleErrors.splice(0)).toEqual([]);
  });

  it('a supervisor signs in and switches the door to self-service', async () => {
    await page.getByTestId('sign-in-form').waitFor();
    await signInByKeyboard(page, 'Bernd Vogel', '9876');
    await page.getByTestId('self-service-start').click();
    await page.getByTestId('self-service').waitFor();
    expect(await page.getByTestId('self-heading').textContent()).toBe('Scan your badge');
    expect(await page.getByTestId('scan-input').count()).toBe(0);
    await shot('01-scan-en-1366');
  });

  it('a badge scanned right after a click anywhere: green, the guest greeted, their badge printed', async () => {
    const g = guest('g0004');
    await page.getByTestId('self-heading').click();
    await wedgeScanHere(page, g.codes[0]!, 10);
    await poll(() => answer().getAttribute('data-outcome')).toBe('welcome');
    expect(await page.getByTestId('self-welcome').textContent()).toBe(`Welcome, ${g.name}!`);
    await poll(() => page.frameLocator('[data-testid="self-badge"]').locator('body').getAttribute('data-fitted')).toBe(
      'true',
    );
    expect(await page.frameLocator('[data-testid="self-badge"]').locator('body').textContent()).toContain(g.name);
    expect(prints(g.id)).toBe(1);
    await shot('02-welcome-en-1366');
    await page.getByTestId('self-done').click();
    await page.getByTestId('self-heading').waitFor();
  });

  it('in German: a name alone shows nothing, a wrong second fact nothing, the right one checks in', async () => {
    const g = guest('g0005');
    await page.getByTestId('lang-de').click();
    expect(await page.getByTestId('self-heading').textContent()).toBe('Badge scannen');
    await shot('04-scan-de-1366');
    await page.getByTestId('self-find-me').click();
    await page.getByTestId('self-name').waitFor();
    // A person's pace: at 20 ms per key (as this test once typed) a name is a scanner's burst, and the
    // window's scan capture rightly takes it as a scan.
    await page.keyboard.type(g.name, { delay: 90 });
    await page.keyboard.press('Enter');
    await page.getByTestId('self-fact').waitFor();
    // The name is in: still nothing about anyone on the screen, and nothing can be asked without the fact.
    expect(await page.locator('body').textContent()).not.toContain(g.organization);
    expect(await page.getByTestId('self-find').isDisabled()).toBe(true);
    await page.keyboard.press('Enter');
    expect(await answer().count()).toBe(0);
    await shot('05-second-fact-de-1366');

    await page.keyboard.type('zzzz', { delay: 90 });
    await page.keyboard.press('Enter');
    await poll(() => answer().getAttribute('data-outcome')).toBe('see_staff');
    expect(await page.locator('body').textContent()).not.toContain(g.name);
    expect(prints(g.id)).toBe(0);
    await page.getByTestId('self-done').click();

    await page.getByTestId('self-find-me').click();
    await page.getByTestId('self-name').fill(g.name);
    await page.keyboard.press('Enter');
    await page.getByTestId('self-fact').fill(g.email.slice(0, 5));
    await page.keyboard.press('Enter');
    await poll(() => answer().getAttribute('data-outcome')).toBe('welcome');
    expect(await page.getByTestId('self-welcome').textContent()).toBe(`Willkommen, ${g.name}!`);
    await poll(() => prints(g.id)).toBe(1);
    await shot('06-welcome-de-1366');
    await page.getByTestId('self-done').click();
  });

  it('a reload is still the guests’ screen, and the core refuses the staff’s calls meanwhile', async () => {
    await page.getByTestId('lang-en').click();
    await page.reload();
    await page.getByTestId('self-heading').waitFor();
    expect(await page.getByTestId('scan-input').count()).toBe(0);
    await expect(callApi(host.url, 'guests.search', { query: 'liu', limit: 5 })).rejects.toThrow('self_service_on');
    await expect(callApi(host.url, 'stats.get', {})).rejects.toThrow('self_service_on');

    // The first badge again, seconds later (no double read): amber at the door, here only "see the staff desk".
    const g = guest('g0004');
    await wedgeScanHere(page, g.codes[0]!, 5);
    await poll(() => answer().getAttribute('data-outcome')).toBe('see_staff');
    expect(await page.locator('body').textContent()).not.toContain(g.name);
    expect(prints(g.id)).toBe(1);
    await shot('03-see-staff-en-1366');
    await page.getByTestId('self-done').click();
  });

  it('portrait 1080×1920 in 中文: the prompt, a scan at 5 ms per key, the answers', async () => {
    await page.setViewportSize({ width: 1080, height: 1920 });
    await page.getByTestId('lang-zh-CN').click();
    expect(await page.getByTestId('self-heading').textContent()).toBe('扫描您的胸卡');
    await shot('07-scan-zh-portrait');
    const g = guest('g0006');
    await page.getByTestId('self-find-me').click(); // a click, and focus in a field: the scan still is one
    await page.getByTestId('self-name').waitFor();
    await wedgeScanHere(page, g.codes[0]!, 5);
    await poll(() => answer().getAttribute('data-outcome')).toBe('welcome');
    expect(await page.getByTestId('self-welcome').textContent()).toBe(`欢迎您，${g.name}！`);
    await poll(() => page.frameLocator('[data-testid="self-badge"]').locator('body').getAttribute('data-fitted')).toBe(
      'true',
    );
    await shot('08-welcome-zh-portrait');
    await wedgeScanHere(page, '999999999999', 10);
    await poll(() => answer().getAttribute('data-outcome')).toBe('see_staff');
    expect(await page.getByTestId('self-see-staff').textContent()).toBe('请到工作人员服务台办理。');
    await shot('09-see-staff-zh-portrait');
    await page.getByTestId('self-done').click();
    await page.getByTestId('self-find-me').click();
    await page.getByTestId('self-name').fill(g.name);
    await page.keyboard.press('Enter');
    await page.getByTestId('self-fact').waitFor();
    await shot('10-second-fact-zh-portrait');
    await page.keyboard.press('Escape');
  });

  it('a lookup left half-typed goes back to the scan prompt by itself', async () => {
    await page.clock.install(); // the page's timers from here on run on a clock the test can move
    await page.getByTestId('self-find-me').click();
    await page.getByTestId('self-name').fill('Zhao Wanderer');
    await page.clock.fastForward(30_000);
    expect(await page.getByTestId('self-name').inputValue()).toBe('Zhao Wanderer');
    await page.clock.fastForward(16_000);
    await page.getByTestId('self-heading').waitFor();
    expect(await page.locator('body').textContent()).not.toContain('Zhao Wanderer');
  });

  it('a wrong PIN does not leave self-service; a supervisor’s does', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByTestId('lang-en').click();
    await page.getByTestId('self-staff').click();
    await page.getByTestId('self-exit-pin').waitFor();
    await page.keyboard.type('1111', { delay: 40 });
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('self-exit-error').textContent()).toBe('Wrong PIN');
    expect(await page.getByTestId('self-service').count()).toBe(1);
    await shot('11-exit-wrong-pin-en-1366');
    await page.keyboard.type('9876', { delay: 40 });
    await page.keyboard.press('Enter');
    await page.getByTestId('scan-input').waitFor();
    expect(await page.getByTestId('self-service').count()).toBe(0);
    expect(await page.getByTestId('signed-in').textContent()).toContain('Bernd Vogel');
  });
});
