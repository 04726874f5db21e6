import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Kiosk } from '../../electron/core/kiosk.ts';
import { doorSetUpFirst, SHOTS } from '../support/door-browser.ts';
import { bannerId, callApi, scanLikeAWedge } from '../support/door-page.ts';

/**
 * The venue laptop's disk fills up mid-event. A scan the kiosk cannot save must be red and say why, in the
 * staff's language: before, it read "the kiosk had an internal error" (内部错误 / Interner Fehler), which
 * neither said that the guest was NOT recorded nor what to do. The full disk is SQLite's own answer
 * (SQLITE_FULL), from the kiosk connection's max_page_count held at the database's size. The top bar
 * warned first: its threshold (KioskOptions.lowDiskMb) is set above any disk's free space here.
 */
describe('a full disk at the door, in a real browser', () => {
  const door = doorSetUpFirst('disk-full');
  let kiosk: Kiosk;
  let url: string;
  let page: Page;
  let codes: string[];

  beforeAll(async () => {
    const started = await door.start({ lowDiskMb: 1e9 });
    kiosk = started.kiosk;
    url = started.host.url;
    await callApi(url, 'event.loadDemo', {});
    codes = (
      kiosk.db!.prepare(`SELECT code FROM guest_codes ORDER BY code LIMIT 120`).all() as Array<{ code: string }>
    ).map((r) => r.code);
    page = await door.openPage('zh-CN');
    await page.goto(url);
    await page.getByTestId('scan-input').waitFor();
  });
  afterAll(() => door.close());
  afterEach((ctx) => door.screenshotIfFailed(ctx));

  /** Scans (as a wedge) the next codes until one is refused; returns that code. */
  async function scanUntilRefused(): Promise<string> {
    for (;;) {
      const code = codes.shift();
      if (code === undefined) throw new Error('no scan was refused');
      const before = await bannerId(page);
      await scanLikeAWedge(page, code);
      await expect.poll(() => bannerId(page)).toBeGreaterThan(before);
      if ((await page.getByTestId('banner').getAttribute('data-status')) === 'error') return code;
    }
  }

  it('warns in the top bar while the disk is low, with the free space, in 中文', async () => {
    await expect.poll(() => page.getByTestId('disk-low').textContent()).toMatch(/^⚠ 磁盘空间不足：仅剩 \d+ MB$/);
    const freeMb = Number(await page.getByTestId('disk-low').getAttribute('data-free-mb'));
    expect(freeMb).toBeGreaterThan(0);
  });

  it('is red and says the disk is full, in 中文 and in Deutsch; the same scan is green once there is room', async () => {
    const db = kiosk.db!;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const refusedZh = await scanUntilRefused();
    expect(await page.getByTestId('banner').textContent()).toContain('磁盘已满');
    expect(await page.getByTestId('banner').textContent()).toContain('disk_full');
    await page.screenshot({ path: path.join(SHOTS, '40-disk-full-zh.png') });

    await page.getByTestId('lang-de').click();
    await expect
      .poll(() => page.getByTestId('disk-low').textContent())
      .toMatch(/^⚠ Wenig Speicherplatz: noch \d+ MB frei$/);
    const refusedDe = await scanUntilRefused();
    expect(await page.getByTestId('banner').textContent()).toContain('Festplatte dieses Laptops ist voll');
    await page.screenshot({ path: path.join(SHOTS, '41-disk-full-de.png') });

    db.pragma('max_page_count = 1073741823');
    for (const code of [refusedZh, refusedDe]) {
      const before = await bannerId(page);
      await scanLikeAWedge(page, code);
      await expect.poll(() => bannerId(page)).toBeGreaterThan(before);
      expect(await page.getByTestId('banner').getAttribute('data-status')).toBe('checked_in');
    }
  });
});
