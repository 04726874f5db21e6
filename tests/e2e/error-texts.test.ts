import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Guest } from '../../shared/domain.ts';
import { openDoorBrowser, type DoorBrowser } from '../support/door-browser.ts';
import { callApi, lookup, scanLikeAWedge } from '../support/door-page.ts';

/**
 * A refused call reads as a sentence in the staff's language, with its stable code small beside it, never
 * "Something went wrong" and the core's English message: an undo another door already made, in 中文,
 * Deutsch and English; a full sub-forum; a wrong PIN. At 1366×768, driven by keyboard where staff would.
 * Screenshots in test-results/e2e/errors-*.png.
 */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 50 });

describe('translated errors at the door', () => {
  let door: DoorBrowser;
  let page: Page;
  let url: string;
  let shot: (name: string) => Promise<void>;

  beforeAll(async () => {
    door = await openDoorBrowser('errors', { loadDemo: true, locale: 'zh-CN' });
    ({ page, url, shot } = door);
    await page.setViewportSize({ width: 1366, height: 768 });
  });
  afterAll(() => door.close());
  afterEach((ctx) => door.screenshotIfFailed(ctx));

  it('an undo another door already made is refused in 中文, Deutsch and English', async () => {
    const liu = await lookup(url, 'liu qing');
    await scanLikeAWedge(page, liu.codes[0]!);
    await poll(() => page.getByTestId('banner').getAttribute('data-status')).toBe('checked_in');
    const item = page.locator(`[data-testid="recent-item"][data-guest-id="${liu.id}"]`);
    await item.waitFor();
    // Another window of this kiosk undoes it first; this screen's list still offers the undo.
    const recent = await callApi<{ items: Array<{ checkin: { id: string }; guest: Guest }> }>(url, 'checkins.recent', {
      limit: 5,
    });
    const checkin = recent.items.find((r) => r.guest.id === liu.id)!.checkin;
    await callApi(url, 'checkins.undo', { checkinId: checkin.id });
    await item.getByTestId('undo').focus();
    await page.keyboard.press('Enter');

    const heading = page.getByTestId('banner-error');
    await poll(() => heading.getAttribute('data-code')).toBe('checkin_already_voided');
    const code = page.getByTestId('banner').getByTestId('error-code');
    expect(await code.textContent()).toBe('checkin_already_voided');
    // The core's English message is not on screen (it is the code's tooltip, for support).
    expect(await page.getByTestId('banner').textContent()).not.toContain('was already undone');
    expect(await heading.textContent()).toContain('该签到已被撤销。');
    await shot('errors-01-undo-refused-zh');

    await page.getByTestId('lang-de').click();
    await poll(() => heading.textContent()).toContain('Dieser Check-in wurde bereits rückgängig gemacht.');
    expect(await code.textContent()).toBe('checkin_already_voided');
    await shot('errors-02-undo-refused-de');

    await page.getByTestId('lang-en').click();
    await poll(() => heading.textContent()).toContain('This check-in was already undone.');
    expect(await heading.textContent()).not.toContain('Something went wrong');
    await shot('errors-03-undo-refused-en');
  });

  it('an unknown code is red, and a full sub-forum is refused in German', async () => {
    await page.getByTestId('lang-de').click();
    await scanLikeAWedge(page, '999999999999');
    await poll(() => page.getByTestId('banner').getAttribute('data-status')).toBe('unknown_code');
    await shot('errors-04-unknown-code-de');

    await callApi(url, 'forums.update', {
      forum: { ...(await forum(url, 'materials')), capacity: 0 },
    });
    const jose = await lookup(url, 'jose garcia');
    await scanLikeAWedge(page, jose.codes[0]!);
    await poll(() => page.getByTestId('forum-picker').isVisible()).toBe(true);
    await page.getByTestId('forum-option-materials').click();
    const refusal = page.getByTestId('forum-override');
    await poll(() => refusal.isVisible()).toBe(true);
    expect(await refusal.textContent()).toContain('ist voll');
    await shot('errors-05-forum-full-de');
  });

  it('a wrong PIN is refused in 中文 with its code', async () => {
    await callApi(url, 'staff.add', { name: 'Bernd Vogel', role: 'supervisor', pin: '9876' });
    await page.getByTestId('lang-zh-CN').click();
    await page.reload();
    const form = page.getByTestId('sign-in-form');
    await form.waitFor();
    await page.getByTestId('sign-in-pin').focus();
    await page.keyboard.type('1111', { delay: 60 });
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('sign-in-error').textContent()).toBe('姓名或密码错误。');
    expect(await form.getByTestId('error-code').textContent()).toBe('bad_pin');
    await shot('errors-06-wrong-pin-zh');
  });
});

/** One forum of the event as the core holds it (for an update that changes one field). */
async function forum(url: string, forumId: string): Promise<Record<string, unknown>> {
  const status = await callApi<{ event: { forums: Array<Record<string, unknown>> } }>(url, 'app.status', {});
  return status.event.forums.find((f) => f['id'] === forumId)!;
}
