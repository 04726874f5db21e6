import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Guest, Stats } from '../../shared/domain.ts';
import { openDoorBrowser, type DoorBrowser } from '../support/door-browser.ts';
import { bannerId, callApi, wedgeScanHere } from '../support/door-page.ts';

/**
 * "The door never lies": a keyboard-wedge burst (5–10 ms per key, then Enter) is a scan wherever focus is
 * — on a forum button just clicked, after Undo, after a language switch, with the badge preview open, in
 * the Roster and Sub-forums views, in the Walk-in dialog with a name half-typed — and each one gets its
 * own answer. Nothing a person types slowly is taken. At 1366×768, in English, Deutsch and 中文.
 */
describe('every scan is caught and answered, wherever focus is', () => {
  let door: DoorBrowser;
  let page: Page;
  let url: string;
  let shot: (name: string) => Promise<void>;
  /** Active guests, not in yet, without a forum: one per scan below. */
  let fresh: Guest[];
  const next = (): Guest => fresh.shift()!;

  beforeAll(async () => {
    door = await openDoorBrowser('scan-anywhere', { loadDemo: true, locale: 'en-US' });
    ({ page, url, shot } = door);
    await page.setViewportSize({ width: 1366, height: 768 });
    const ids = Array.from({ length: 60 }, (_, i) => `g${String(i + 20).padStart(4, '0')}`);
    const guests = await Promise.all(ids.map((guestId) => callApi<Guest>(url, 'guests.get', { guestId })));
    fresh = guests.filter((g) => g.status === 'active' && !g.checkedIn && g.forumId === null && g.codes.length > 0);
    expect(fresh.length).toBeGreaterThan(20);
  });
  afterAll(() => door.close());
  afterEach((ctx) => door.screenshotIfFailed(ctx));

  /** Scans `guest` at `msPerKey` from wherever focus is and waits for a new answer naming them. */
  const scanAndExpect = async (guest: Guest, msPerKey = 5): Promise<void> => {
    const before = await bannerId(page);
    await wedgeScanHere(page, guest.codes[0]!, msPerKey);
    await expect.poll(() => bannerId(page)).toBeGreaterThan(before);
    await expect.poll(() => page.getByTestId('banner-name').textContent()).toBe(guest.name);
  };
  const stats = () => callApi<Stats>(url, 'stats.get', {});

  it('after clicking a forum in the picker (focus on that button)', async () => {
    const first = next();
    await page.getByTestId('scan-input').focus();
    await scanAndExpect(first);
    await page.getByTestId('forum-option-it').click();
    await expect.poll(() => page.getByTestId('forum-assigned').getAttribute('data-forum-id')).toBe('it');
    const second = next();
    await scanAndExpect(second);
    expect(await page.getByTestId('banner').getAttribute('data-status')).toBe('checked_in');
    await shot('scan-01-after-forum-click');
  });

  it('after Undo in the recent list', async () => {
    await page.getByTestId('recent-item').first().getByTestId('undo').click();
    await expect.poll(() => page.getByTestId('banner').getAttribute('data-status')).toBe('undone');
    await scanAndExpect(next());
  });

  it('after a language switch, answered in Deutsch', async () => {
    await page.getByTestId('lang-de').click();
    await expect.poll(() => page.getByTestId('walk-in-open').textContent()).not.toBe('Walk-in');
    const guest = next();
    await scanAndExpect(guest, 10);
    expect(await page.getByTestId('banner').getAttribute('data-status')).toBe('checked_in');
    await expect.poll(() => page.getByTestId('banner-age').textContent()).toMatch(/^vor \d+ s$/);
    await shot('scan-02-deutsch-after-language-switch');
  });

  it('with the badge preview open: answered over it, the preview stays; Escape closes it', async () => {
    await page.getByTestId('badge-open').click();
    await expect.poll(() => page.getByTestId('badge-preview').isVisible()).toBe(true);
    // No answer over the preview yet: the one on screen was given before it opened.
    expect(await page.getByTestId('scan-overlay').count()).toBe(0);
    await scanAndExpect(next());
    expect(await page.getByTestId('scan-where').textContent()).toContain('Namensschild');
    expect(await page.getByTestId('badge-preview').isVisible()).toBe(true);
    await shot('scan-03-over-badge-preview');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('badge-preview').count()).toBe(0);
    await page.getByTestId('lang-en').click();
  });

  it('in the Roster and Sub-forums views: an overlay names the view, which stays as it was', async () => {
    await page.getByTestId('nav-roster').click();
    await scanAndExpect(next());
    expect(await page.getByTestId('scan-where').textContent()).toContain('Roster');
    expect(await page.getByTestId('nav-roster').getAttribute('aria-pressed')).toBe('true');
    await shot('scan-04-roster-view');

    await page.getByTestId('nav-forums').click();
    await scanAndExpect(next(), 10);
    expect(await page.getByTestId('scan-where').textContent()).toContain('Sub-forums');
    expect(await page.getByTestId('nav-forums').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('scan-overlay-door').click();
    await expect.poll(() => page.getByTestId('scan-input').isVisible()).toBe(true);
  });

  it('with the Walk-in dialog open and its name half-typed: the form is left exactly as it was', async () => {
    const walkInsBefore = (await stats()).walkIns;
    await page.getByTestId('walk-in-open').click();
    const form = page.getByTestId('walk-in-form');
    const name = form.locator('input[name=name]');
    const org = form.locator('input[name=organization]');
    await expect.poll(() => name.evaluate((e) => e === document.activeElement)).toBe(true);
    await page.keyboard.type('Zhang W', { delay: 90 }); // a person: slow keys, kept
    // The person looks up; the scanner fires. Without the pause the scanner's first key could come
    // within 35 ms of the "W" (the mid-session CI: "W871879266690", unknown): then the W is exactly what
    // a scanner's first key looks like (a slow gap before it, fast after), and no rule can tell them apart.
    await page.waitForTimeout(400);
    await scanAndExpect(next(), 10);
    expect(await name.inputValue()).toBe('Zhang W');
    expect(await name.evaluate((e: HTMLInputElement) => [e.selectionStart, e.selectionEnd])).toEqual([7, 7]);
    expect(await form.isVisible()).toBe(true);
    expect(await page.getByTestId('scan-where').textContent()).toContain('walk-in');
    await shot('scan-05-over-walk-in');

    // The caret in the middle of another field is put back where it was, too.
    await org.focus();
    await page.keyboard.type('ACME Labs', { delay: 90 });
    await page.keyboard.press('Home');
    await scanAndExpect(next(), 5);
    expect(await org.inputValue()).toBe('ACME Labs');
    expect(await org.evaluate((e: HTMLInputElement) => e.selectionStart)).toBe(0);

    // The person goes on typing where they were.
    await name.focus();
    await page.keyboard.press('End');
    await page.keyboard.type('ei', { delay: 90 });
    expect(await name.inputValue()).toBe('Zhang Wei');
    expect(await form.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('walk-in-form').count()).toBe(0);
    expect((await stats()).walkIns).toBe(walkInsBefore);
  });

  it('a green followed by an unknown code shows red; the same answer twice is still a new banner', async () => {
    await page.getByTestId('scan-input').focus();
    await scanAndExpect(next());
    await expect.poll(() => page.getByTestId('banner').getAttribute('class')).toContain('green');
    const green = await bannerId(page);
    await wedgeScanHere(page, '999000111222', 5);
    await expect.poll(() => page.getByTestId('banner').getAttribute('data-status')).toBe('unknown_code');
    expect(await page.getByTestId('banner').getAttribute('class')).toContain('red');
    const red = await bannerId(page);
    expect(red).toBeGreaterThan(green);
    await wedgeScanHere(page, '999000111222', 5);
    await expect.poll(() => bannerId(page)).toBeGreaterThan(red);
    expect(await page.getByTestId('scan-input').inputValue()).toBe('');
  });

  it('half a name typed in the door’s field, then a badge scanned into it: the badge is answered, in Deutsch and 中文', async () => {
    // A person searching ("Schm…", "刘") when a guest holds out a badge: the scanner fires into the same field.
    // The code is the burst alone; the whole field made a valid badge an unknown code.
    for (const [locale, half, msPerKey] of [
      ['de', 'Schm', 7],
      ['zh-CN', '刘', 9],
    ] as const) {
      await page.getByTestId(`lang-${locale}`).click();
      await page.getByTestId('scan-input').focus();
      await page.keyboard.type(half, { delay: 90 });
      await expect.poll(() => page.getByTestId('scan-input').inputValue()).toBe(half);
      await page.waitForTimeout(400); // the person looks up; the scanner fires
      await scanAndExpect(next(), msPerKey);
      expect(await page.getByTestId('banner').getAttribute('data-status')).toBe('checked_in');
      expect(await page.getByTestId('scan-input').inputValue()).toBe('');
      // Every button beside the field within the 1366 px screen (German's "Selbstbedienung" was cut off).
      for (const box of await page
        .locator('.aside-actions button')
        .evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().right)))
        expect(box).toBeLessThanOrEqual(1366);
      await shot(`scan-08-badge-over-half-a-name-${locale}`);
    }
    await page.getByTestId('lang-en').click();
  });

  it('first key → banner for a 12-digit code at 5 and 10 ms per key', async () => {
    await page.getByTestId('scan-input').focus();
    for (const msPerKey of [5, 10]) {
      const figures: number[] = [];
      for (let i = 0; i < 3; i++) {
        const guest = next();
        await scanAndExpect(guest, msPerKey);
        const banner = page.getByTestId('banner');
        figures.push(Number(await banner.getAttribute('data-first-key-ms')));
        console.log(
          `${msPerKey} ms/key, ${guest.codes[0]!.length}-character code: first key → banner ${await banner.getAttribute('data-first-key-ms')} ms, Enter → banner ${await banner.getAttribute('data-latency-ms')} ms`,
        );
      }
      expect(Math.min(...figures)).toBeGreaterThan(0);
    }
  });

  it('first key → banner for a printed badge’s code at 5 and 10 ms per key', async () => {
    await page.getByTestId('scan-input').focus();
    for (const msPerKey of [5, 10]) {
      for (let i = 0; i < 2; i++) {
        const guest = next();
        const { code } = await callApi<{ code: string }>(url, 'codes.issue', { guestId: guest.id, deviceKey: false });
        expect(code.length).toBeLessThanOrEqual(50);
        const before = await bannerId(page);
        await wedgeScanHere(page, code, msPerKey);
        await expect.poll(() => bannerId(page)).toBeGreaterThan(before);
        const banner = page.getByTestId('banner');
        expect(await banner.getAttribute('data-status')).toBe('checked_in');
        expect(await page.getByTestId('banner-name').textContent()).toBe(guest.name);
        console.log(
          `${msPerKey} ms/key, printed badge code of ${code.length} characters: first key → banner ${await banner.getAttribute('data-first-key-ms')} ms, Enter → banner ${await banner.getAttribute('data-latency-ms')} ms`,
        );
      }
    }
  });

  it('tall dialogs scroll to their buttons at 768 px and close on Escape: badge preview A6 and 4×6 in', async () => {
    await page.getByTestId('scan-input').focus();
    await scanAndExpect(next());
    await page.getByTestId('badge-open').click();
    for (const size of ['a6', '4x6in']) {
      await page.getByTestId('badge-size').selectOption(size);
      await expect.poll(() => page.getByTestId('badge-frame').count()).toBe(1);
      const print = page.getByTestId('badge-print');
      await print.scrollIntoViewIfNeeded();
      const box = await print.boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(768);
      expect(box!.y).toBeGreaterThanOrEqual(0);
    }
    await shot('scan-09-badge-4x6-scrolled');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('badge-preview').count()).toBe(0);
  });

  it('search results stay visible under an answer at 1366×768, in English, Deutsch and 中文', async () => {
    for (const [locale, label] of [
      ['en', 'en'],
      ['de', 'de'],
      ['zh-CN', 'zh'],
    ] as const) {
      await page.getByTestId(`lang-${locale}`).click();
      const input = page.getByTestId('scan-input');
      await input.focus();
      await scanAndExpect(next());
      await page.keyboard.type('li', { delay: 90 });
      await expect.poll(() => page.getByTestId('result').count()).toBeGreaterThan(3);
      await expect.poll(() => page.getByTestId('banner').getAttribute('class')).toContain('compact');
      const fourth = await page.getByTestId('result').nth(3).boundingBox();
      expect(fourth!.y + fourth!.height).toBeLessThanOrEqual(768);
      // One set of columns for all rows: a wider role tag ("合作伙伴") in one row shifted its columns.
      for (const column of ['.latin', '.org']) {
        const lefts = await page
          .locator(`[data-testid=result] ${column}`)
          .evaluateAll((spans) => spans.map((span) => Math.round(span.getBoundingClientRect().left)));
        expect(new Set(lefts).size, `${column} left edges ${lefts.join(', ')}`).toBe(1);
      }
      await shot(`scan-06-search-under-answer-${label}`);
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByTestId('result').count()).toBe(0);
      const orgSize = await page
        .getByTestId('banner-org')
        .evaluate((e) => Number.parseFloat(getComputedStyle(e).fontSize));
      expect(orgSize).toBeGreaterThanOrEqual(22);
      await shot(`scan-07-answer-${label}`);
    }
    await page.getByTestId('lang-en').click();
  });

  it('the answer says how long ago it was and fades to neutral after the configured time', async () => {
    await page.getByTestId('door-settings').click();
    // 8 s: the answer must still be unfaded when the test first looks. With 3 s, under load (the scan
    // answered up to 1.6 s after its first key, a poll's page read over 1 s) the look could come too late.
    await page.getByTestId('banner-fade').fill('8');
    await page.keyboard.press('Enter'); // a person's Enter: submits the door settings
    await expect.poll(() => page.getByTestId('banner-fade').count()).toBe(0);
    await page.getByTestId('scan-input').focus();
    await scanAndExpect(next());
    const banner = page.getByTestId('banner');
    expect(await banner.getAttribute('data-faded')).toBe('false');
    // Counted in seconds, and fewer than the fade's 8 while it is not faded.
    await expect.poll(() => page.getByTestId('banner-age').textContent(), { timeout: 10_000 }).toMatch(/^[1-7] s ago$/);
    await expect.poll(() => banner.getAttribute('data-faded'), { timeout: 20_000 }).toBe('true');
    expect(await banner.getAttribute('class')).toContain('faded');
    await shot('scan-08-faded');
    // A new scan replaces the faded answer with a fresh, coloured one at once.
    await scanAndExpect(next());
    expect(await page.getByTestId('banner').getAttribute('data-faded')).toBe('false');
  });
  it('a room door: a full room is amber "admit anyway?", the override admits; not-arrived is flagged', async () => {
    const forums = await callApi<{ forums: Array<Record<string, unknown>> }>(url, 'forums.list', {});
    const { assigned: _a, arrived: _b, inside: _c, ...biomed } = forums.forums.find((f) => f['id'] === 'biomed')!;
    await callApi(url, 'forums.update', { forum: { ...biomed, capacity: 1 } });
    await page.getByTestId('door-settings').click();
    await page.locator('select[name=forumDoor]').selectOption('biomed');
    await page.getByTestId('door-save').click();
    await expect.poll(() => page.getByTestId('forum-door').isVisible()).toBe(true);
    const answer = page.getByTestId('forum-answer');

    const first = next();
    await page.getByTestId('scan-input').focus();
    await wedgeScanHere(page, first.codes[0]!, 5);
    await expect.poll(() => answer.getAttribute('data-status')).toBe('entered');
    expect(await page.getByTestId('forum-not-arrived').isVisible()).toBe(true);

    await wedgeScanHere(page, next().codes[0]!, 5);
    await expect.poll(() => answer.getAttribute('data-status')).toBe('room_full');
    expect(await answer.getAttribute('class')).toContain('amber');
    await shot('scan-10-room-full');
    await page.getByTestId('forum-admit-anyway').click();
    await expect.poll(() => answer.getAttribute('data-status')).toBe('entered');
    await expect.poll(() => page.getByTestId('forum-inside').textContent()).toContain('2/1');
  });
});
