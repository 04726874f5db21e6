import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { openDoorBrowser, type DoorBrowser } from '../support/door-browser.ts';
import { callApi } from '../support/door-page.ts';
import type { EventInfo, ScanResult } from '../../shared/domain.ts';

/**
 * An organiser's own event from a blank kiosk, in Chromium, by keyboard: Create an event on the welcome
 * screen (an empty name is refused beside the field), two sub-forums added in the Sub-forums view, one
 * moved up, one removed with its guest moved, and the door screen showing the event's name.
 */
const runs = [
  {
    locale: 'zh-CN',
    lang: 'zh',
    name: '2026 中德材料论坛',
    forums: [
      { id: 'materials', name: '新材料', room: 'B210' },
      { id: 'it', name: '信息技术', room: 'C301' },
    ],
    texts: { nameError: '请至少填写一种语言的名称', move: '移动 1 位嘉宾并删除' },
  },
  {
    locale: 'en-US',
    lang: 'en',
    name: 'Sino-German Materials Forum 2026',
    forums: [
      { id: 'materials', name: 'Materials', room: 'B210' },
      { id: 'it', name: 'Information Technology', room: 'C301' },
    ],
    texts: { nameError: 'Give the name in at least one language', move: 'Move 1 guest(s) and remove' },
  },
] as const;

/**
 * An organiser typing: 60 ms per key, a person's pace. (At machine speed a run of keys ending in Tab is a
 * scanner's burst, which the kiosk takes out of the field and answers as a scan.)
 */
async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).focus();
  await page.keyboard.type(text, { delay: 60 });
}

describe('creating an event in a real browser', () => {
  let door: DoorBrowser | null = null;
  afterEach(async (ctx) => {
    await door?.screenshotIfFailed(ctx);
    await door?.close();
    door = null;
  });

  for (const run of runs) {
    it(`${run.locale}: blank kiosk → Create an event → two forums → the door shows its name`, async () => {
      door = await openDoorBrowser(`event-setup-${run.lang}`, { loadDemo: false, locale: run.locale });
      const { page, url, shot } = door;
      await page.setViewportSize({ width: 1366, height: 768 });
      await shot(`event-${run.lang}-01-welcome`);

      await page.getByTestId('create-event').focus();
      await page.keyboard.press('Enter');
      const form = page.getByTestId('event-form');
      await form.waitFor();
      // The time zone is preselected from the browser.
      const browserZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
      expect(await page.locator('input[name=event-timezone]').inputValue()).toBe(browserZone);
      // No name in any language: refused, the error beside the names, nothing created.
      await page.locator('input[name=event-venue]').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => form.getByRole('alert').textContent()).toContain(run.texts.nameError);
      await shot(`event-${run.lang}-02-name-required`);
      expect((await callApi<{ event: EventInfo | null }>(url, 'app.status', {})).event).toBeNull();

      await typeInto(page, `input[name=event-name-${run.lang}]`, run.name);
      await page.locator('input[name=event-starts]').fill('2026-06-01T09:00');
      await page.locator('input[name=event-ends]').fill('2026-06-01T18:00');
      await page.locator('input[name=event-timezone]').fill('');
      await typeInto(page, 'input[name=event-timezone]', 'Asia/Shanghai');
      await typeInto(page, 'input[name=event-venue]', 'Suzhou');
      await shot(`event-${run.lang}-03-form`);
      await page.keyboard.press('Enter');

      await page.getByTestId('scan-input').waitFor();
      await expect.poll(() => page.locator('.topbar .event strong').textContent()).toBe(run.name);
      const created = (await callApi<{ event: EventInfo }>(url, 'app.status', {})).event;
      expect(created).toMatchObject({ startsAt: '2026-06-01T09:00:00+08:00', timezone: 'Asia/Shanghai' });
      expect(created.name).toEqual({ zh: run.name, en: run.name, de: run.name });

      await page.getByTestId('nav-forums').click();
      await page.getByTestId('forums-none').waitFor();
      for (const f of run.forums) {
        await typeInto(page, 'input[name=forum-id]', f.id);
        await typeInto(page, `input[name=forum-name-${run.lang}]`, f.name);
        await typeInto(page, 'input[name=forum-room]', f.room);
        await page.locator('input[name=forum-capacity]').fill('30');
        await page.keyboard.press('Enter');
        await page.getByTestId(`dash-row-${f.id}`).waitFor();
      }
      await shot(`event-${run.lang}-04-two-forums`);
      const order = () =>
        page.locator('[data-testid^=dash-row-]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')));
      expect(await order()).toEqual(['dash-row-materials', 'dash-row-it']);
      await page.getByTestId('forum-up-it').click();
      await expect.poll(order).toEqual(['dash-row-it', 'dash-row-materials']);

      // A walk-in assigned to Materials: removing it asks where the guest goes, then moves and removes.
      const walkIn = await callApi<ScanResult>(url, 'guests.walkIn', {
        name: '刘青',
        organization: '',
        email: '',
        role: 'guest',
      });
      await callApi(url, 'forums.assign', { guestId: walkIn.guest!.id, forumId: 'materials', overrideReason: '' });
      await expect
        .poll(() => page.getByTestId('dash-row-materials').locator('[data-col=assigned]').textContent(), {
          timeout: 15_000,
        })
        .toBe('1');
      await page.getByTestId('forum-remove-materials').click();
      const dialog = page.getByTestId('forum-remove-dialog');
      await expect.poll(() => dialog.getByTestId('forum-remove-confirm').textContent()).toBe(run.texts.move);
      await shot(`event-${run.lang}-05-remove-move`);
      await dialog.getByTestId('forum-remove-confirm').click();
      await expect.poll(() => page.getByTestId('dash-row-materials').count()).toBe(0);
      await expect
        .poll(() => page.getByTestId('dash-row-it').locator('[data-col=assigned]').textContent(), { timeout: 15_000 })
        .toBe('1');

      await page.getByTestId('nav-door').click();
      await page.getByTestId('scan-input').waitFor();
      expect(await page.locator('.topbar .event strong').textContent()).toBe(run.name);
      await shot(`event-${run.lang}-06-door`);
    }, 180_000);
  }
});
