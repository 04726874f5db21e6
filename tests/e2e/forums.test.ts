import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDoorBrowser, type DoorBrowser } from '../support/door-browser.ts';
import { callApi, lookup, scanLikeAWedge } from '../support/door-page.ts';

/**
 * Sub-forums at the door, in Chromium: an organiser shrinks a room in the dashboard; at the venue door a
 * guest without assignment picks a forum with seats; a full forum is refused, then overridden with a
 * reason; a kiosk switched to forum-door mode admits, asks about a guest assigned elsewhere, and counts.
 */
describe('sub-forums in a real browser', () => {
  let door: DoorBrowser;
  let page: Page;
  let url: string;
  let shot: (name: string) => Promise<void>;

  beforeAll(async () => {
    door = await openDoorBrowser('forums', { loadDemo: true, locale: 'en-US' });
    ({ page, url, shot } = door);
  });
  afterAll(() => door.close());
  afterEach((ctx) => door.screenshotIfFailed(ctx));

  it('the dashboard edits a forum: Materials shrinks to one seat', async () => {
    await page.getByTestId('nav-forums').click();
    await page.getByTestId('dash-edit-button-materials').click();
    await page.getByTestId('dash-edit-materials').locator('input[name=capacity]').fill('1');
    await page.getByTestId('dash-save').click();
    await expect
      .poll(() => page.getByTestId('dash-row-materials').locator('[data-col=capacity]').textContent())
      .toBe('1');
    await shot('10-forums-dashboard');
    await page.getByTestId('nav-door').click();
  });

  it('a guest without assignment picks a forum with seats at check-in', async () => {
    const anna = await lookup(url, 'anna muller');
    await scanLikeAWedge(page, anna.codes[0]!);
    await expect.poll(() => page.getByTestId('forum-picker').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('forum-seats-materials').textContent()).toContain('0/1');
    await shot('11-forum-picker');
    await page.getByTestId('forum-option-materials').click();
    await expect.poll(() => page.getByTestId('forum-assigned').getAttribute('data-forum-id')).toBe('materials');
    expect((await lookup(url, 'anna muller')).forumId).toBe('materials');
  });

  it('a full forum is refused, then overridden by a supervisor with a reason', async () => {
    const jose = await lookup(url, 'jose garcia');
    await scanLikeAWedge(page, jose.codes[0]!);
    await expect.poll(() => page.getByTestId('forum-picker').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('forum-seats-materials').textContent()).toContain('1/1 Full');
    await page.getByTestId('forum-option-materials').click();
    await expect.poll(() => page.getByTestId('forum-override').isVisible()).toBe(true);
    expect((await lookup(url, 'jose garcia')).forumId).toBeNull();
    await shot('12-forum-full-refused');
    await page.getByTestId('forum-override').locator('input[name=reason]').fill('Panel speaker, approved by Dr. Tan');
    await page.getByTestId('forum-override-submit').click();
    await expect.poll(() => page.getByTestId('forum-assigned').getAttribute('data-forum-id')).toBe('materials');
  });

  it('forum-door mode admits, asks about a guest assigned elsewhere, and counts who is inside', async () => {
    const weiss = await lookup(url, 'jurgen weiss');
    await callApi(url, 'forums.assign', { guestId: weiss.id, forumId: 'it', overrideReason: '' });
    await page.getByTestId('door-settings').click();
    await page.locator('select[name=forumDoor]').selectOption('materials');
    await page.getByTestId('door-save').click();
    await expect.poll(() => page.getByTestId('forum-door').isVisible()).toBe(true);

    const anna = await lookup(url, 'anna muller');
    await scanLikeAWedge(page, anna.codes[0]!);
    await expect.poll(() => page.getByTestId('forum-answer').getAttribute('data-status')).toBe('entered');
    await expect.poll(() => page.getByTestId('forum-inside').textContent()).toContain('1/1');

    await scanLikeAWedge(page, weiss.codes[0]!);
    await expect.poll(() => page.getByTestId('forum-answer').getAttribute('data-status')).toBe('assigned_elsewhere');
    await shot('13-forum-door-elsewhere');
    await page.getByTestId('forum-admit-anyway').click();
    await expect.poll(() => page.getByTestId('forum-answer').getAttribute('data-status')).toBe('entered');
    await expect.poll(() => page.getByTestId('forum-inside').textContent()).toContain('2/1');

    await page.getByTestId('forum-direction-out').click();
    await scanLikeAWedge(page, anna.codes[0]!);
    await expect.poll(() => page.getByTestId('forum-answer').getAttribute('data-status')).toBe('exited');
    await expect.poll(() => page.getByTestId('forum-inside').textContent()).toContain('1/1');
    await shot('14-forum-door-exit');

    await page.getByTestId('nav-forums').click();
    await expect
      .poll(() => page.getByTestId('dash-row-materials').locator('[data-col=inside]').textContent())
      .toBe('1');
    await expect
      .poll(() => page.getByTestId('dash-row-materials').locator('[data-col=assigned]').textContent())
      .toBe('2');
  });
});
