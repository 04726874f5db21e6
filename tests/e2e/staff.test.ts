import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import type { Kiosk } from '../../electron/core/kiosk.ts';
import type { HttpHost } from '../../electron/host/http.ts';
import type { Guest } from '../../shared/domain.ts';
import { doorSetUpFirst, SHOTS } from '../support/door-browser.ts';
import { callApi, signInByKeyboard, typePin } from '../support/door-page.ts';

/**
 * Staff at the door in Chromium (issue 11): the door asks who is there, door staff sign in by keyboard,
 * undoing someone else's check-in is refused and a supervisor approves it with their PIN at the prompt,
 * the approval is recorded; the staff screen in German, a refused change cancelled with Escape and then
 * approved. Screenshots in test-results/e2e/staff-*.png.
 */
/** A loaded 2-core machine answers slowly: wait for the screen generously. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 50 });

describe('staff and supervisors in a real browser', () => {
  const door = doorSetUpFirst('staff');
  let kiosk: Kiosk;
  let host: HttpHost;
  let page: Page;
  let chensCheckin: { guest: Guest; id: string };
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `staff-${name}.png`) });
  const actorOfVoid = () =>
    kiosk
      .db!.prepare(`SELECT actor FROM facts WHERE type = 'check_in_void' ORDER BY device_seq DESC LIMIT 1`)
      .pluck()
      .get();

  beforeAll(async () => {
    ({ kiosk, host } = await door.start());
    await callApi(host.url, 'event.loadDemo', {});
    const owner = createDispatcher(kiosk.ownerHandlers);
    owner('staff.add', { name: 'Bernd Vogel', role: 'supervisor', pin: '9876' });
    owner('staff.add', { name: '王芳', role: 'door', pin: '1234' });
    owner('staff.add', { name: 'Chen Wei', role: 'door', pin: '5555' });
    // Chen's shift: one check-in, then Chen signs out.
    await callApi(host.url, 'staff.signIn', { name: 'Chen Wei', pin: '5555' });
    const guest = (await callApi<{ results: Guest[] }>(host.url, 'guests.search', { query: 'liu qing', limit: 1 }))
      .results[0]!;
    const scan = await callApi<{ checkin: { id: string } }>(host.url, 'guests.checkIn', { guestId: guest.id });
    chensCheckin = { guest, id: scan.checkin.id };
    await callApi(host.url, 'staff.signOut', {});

    page = await door.openPage('zh-CN');
    await page.goto(host.url);
  });
  afterAll(() => door.close());
  afterEach((ctx) => door.screenshotIfFailed(ctx));

  it('asks who is at the door, refuses a wrong PIN and signs door staff in by keyboard', async () => {
    const form = page.getByTestId('sign-in-form');
    await form.waitFor();
    expect(await form.textContent()).toContain('登录本入口');
    await shot('01-sign-in-zh');
    await signInByKeyboard(page, '王芳', '1111');
    await poll(() => page.getByTestId('sign-in-error').textContent()).toBe('姓名或密码错误。');
    await shot('02-wrong-pin-zh');
    await page.getByTestId('sign-in-pin').focus();
    await typePin(page, '1234');
    await page.getByTestId('scan-input').waitFor();
    expect(await page.getByTestId('signed-in').textContent()).toBe('王芳 · 入口工作人员');
    await shot('03-signed-in-zh');
  });

  it("refuses undoing Chen's check-in for door staff until a supervisor types their PIN", async () => {
    const item = page.locator(`[data-testid="recent-item"][data-guest-id="${chensCheckin.guest.id}"]`);
    await item.getByTestId('undo').click();
    const prompt = page.getByTestId('supervisor-prompt');
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain('此操作需要主管授权');
    await page.keyboard.type('1234', { delay: 60 }); // a door PIN does not approve
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('supervisor-error').textContent()).toBe('姓名或密码错误。');
    await shot('04-supervisor-prompt-zh');
    await page.keyboard.type('9876', { delay: 60 });
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('banner').getAttribute('data-status')).toBe('undone');
    expect(await prompt.isVisible()).toBe(false);
    expect(actorOfVoid()).toBe('Bernd Vogel');
    expect(await page.getByTestId('approval').textContent()).toContain('Bernd Vogel 已授权');
    await shot('05-approved-undo-zh');
    await page.getByTestId('approval-lock').click();
    await poll(() => page.getByTestId('approval').count()).toBe(0);
  });

  it('switching staff is a dialog that Escape closes', async () => {
    await page.getByTestId('staff-switch').click();
    await page.getByTestId('sign-in-form').waitFor();
    await page.keyboard.press('Escape');
    await poll(() => page.getByTestId('sign-in-form').count()).toBe(0);
  });

  it('in German: adding staff is refused, cancelled with Escape, then approved by a supervisor', async () => {
    await page.getByTestId('lang-de').click();
    await page.getByTestId('nav-staff').click();
    await page.getByTestId('staff-screen').waitFor();
    expect(await page.getByTestId('staff-row').count()).toBe(3);
    const add = page.getByTestId('staff-add');
    await add.locator('input[name="name"]').fill('Jörg Weiß');
    await add.locator('select[name="role"]').selectOption('door');
    await add.locator('input[name="pin"]').fill('2468');
    await page.getByTestId('staff-add-submit').click();
    await page.getByTestId('supervisor-prompt').waitFor();
    expect(await page.getByTestId('supervisor-prompt').textContent()).toContain('Das muss eine Aufsicht freigeben');
    await shot('06-supervisor-prompt-de');
    await page.keyboard.press('Escape');
    await poll(() => page.getByTestId('staff-message').textContent()).toBe('Das erfordert eine Aufsicht.');
    await shot('07-refused-de');

    await add.locator('input[name="pin"]').fill('2468');
    await page.getByTestId('staff-add-submit').click();
    await page.getByTestId('supervisor-pin').waitFor();
    await page.keyboard.type('9876', { delay: 60 });
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('staff-message').textContent()).toBe('Jörg Weiß hinzugefügt.');
    expect(await page.getByTestId('staff-row').count()).toBe(4);
    expect(await page.getByTestId('signed-in').textContent()).toBe('王芳 · Einlasspersonal');
    await shot('08-staff-added-de');
  });
});
