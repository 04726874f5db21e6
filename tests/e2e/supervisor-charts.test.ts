import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { idempotencyOf } from '../../electron/core/kiosk.ts';
import { startHttpHost, type HttpHost } from '../../electron/host/http.ts';
import { catalogues } from '../../shared/i18n/index.ts';
import { launchChromiumAt } from '../support/browser.ts';
import { must } from '../support/call.ts';
import { wedgeScanHere } from '../support/door-page.ts';
import { RENDERER_DIR } from '../support/kiosk-host.ts';
import { cluster, codeOf, guestIds, startTestServer, type TestKiosk, type TestServer } from '../support/sync-server.ts';
import { tempDir } from '../support/temp.ts';

/**
 * The supervisor view's live pictures, on a kiosk that sees two doors: 北门 (this kiosk) checks in four
 * guests, 南门 (another kiosk) three and one of 北门's again; 南门's facts come in by sync. The forums view
 * shows arrivals per 5 minutes stacked by door, scans per minute per desk and the forums' fill, matching
 * those counts; a check-in scanned while the view is open appears without a reload; the view asks for
 * nothing while the window is hidden or once it is left. In 中文, Deutsch and English at 1366×768, from a
 * browser in another time zone.
 */
const SHOTS = path.resolve(import.meta.dirname, '../../test-results');
const EVENT_ZONE = 'Asia/Shanghai';

describe('supervisor view: live charts', () => {
  let server: TestServer;
  let north: TestKiosk;
  let south: TestKiosk;
  let host: HttpHost;
  let browser: BrowserContext;
  let page: Page;
  let ids: string[];
  let forumId: string;
  const profile = tempDir('supervisor-charts-browser');
  const problems: string[] = [];

  const scan = (k: TestKiosk, guestId: string) => must(k.kiosk, 'guests.scan', { code: codeOf(k, guestId) });
  const deviceOf = (k: TestKiosk) => must(k.kiosk, 'app.status', {}).device!.id;
  /** Sum of the drawn parts' values per series (door or desk) of one chart. */
  const sums = (chart: string) =>
    page.evaluate((testId) => {
      const out: Record<string, number> = {};
      for (const rect of document.querySelectorAll(`[data-testid="${testId}"] rect[data-series]`)) {
        const key = rect.getAttribute('data-series')!;
        out[key] = (out[key] ?? 0) + Number(rect.getAttribute('data-value'));
      }
      return out;
    }, chart);
  const measure = (name: string) =>
    page.locator(`[data-testid=live-forums] [data-forum-id="${forumId}"] rect[data-measure=${name}]`);
  const shot = async (name: string) => {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
  };
  const press = async (testId: string) => {
    await page.getByTestId(testId).focus();
    await page.keyboard.press('Enter');
  };

  beforeAll(async () => {
    server = await startTestServer({ kind: 'pglite' });
    const { kiosks } = await cluster(server, ['北门', '南门']);
    [north, south] = kiosks as [TestKiosk, TestKiosk];
    ids = guestIds(north, 10);
    for (const id of ids.slice(0, 4)) expect(scan(north, id).status).toBe('checked_in');
    for (const id of ids.slice(4, 7)) expect(scan(south, id).status).toBe('checked_in');
    expect(scan(south, ids[0]!).status).toBe('checked_in'); // again at the other door: a scan, not an arrival
    forumId = must(north.kiosk, 'event.show', {}).event.forums[0]!.id;
    for (const id of ids.slice(0, 2)) must(north.kiosk, 'forums.assign', { guestId: id, forumId, overrideReason: '' });
    must(north.kiosk, 'forums.scan', { code: codeOf(north, ids[0]!), forumId, direction: 'in', admitAnyway: false });
    for (const k of [south, north, south, north]) await k.kiosk.sync!.engine.syncOnce();

    const dispatch = createDispatcher(north.kiosk.handlers, idempotencyOf(north.kiosk, Date.now));
    host = await startHttpHost({ dispatch, staticDir: RENDERER_DIR, port: 0 });
    browser = await launchChromiumAt(profile.dir, {
      locale: 'zh-CN',
      viewport: { width: 1366, height: 768 },
      timezoneId: 'Europe/Berlin',
    });
    page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    for (const k of [north, south]) k?.kiosk.close();
    await server?.close();
    profile.cleanup();
  });

  it('draws arrivals by door, scans per desk and forum fill that match the counts, in 中文', async () => {
    await page.goto(host.url);
    await page.getByTestId('scan-input').waitFor();
    await press('lang-zh-CN');
    await press('nav-forums');
    await expect
      .poll(async () => Number(await page.getByTestId('live-arrivals').getAttribute('data-bars')), { timeout: 20_000 })
      .toBeGreaterThan(0);
    expect(await sums('live-arrivals')).toEqual({ 北门: 4, 南门: 3 });
    expect(await sums('live-scans')).toEqual({ [deviceOf(north)]: 5, [deviceOf(south)]: 4 }); // a room scan too
    expect(must(north.kiosk, 'stats.get', {}).checkedIn).toBe(7);
    await expect.poll(() => measure('assigned').getAttribute('data-value')).toBe('2');
    expect(await measure('arrived').getAttribute('data-value')).toBe('2');
    expect(await measure('inside').getAttribute('data-value')).toBe('1');

    // Legends name the doors; every part says its numbers; times are the event's, and the zone is shown.
    const zh = catalogues['zh-CN'];
    expect(await page.getByTestId('live-arrivals').locator('.chart-legend').textContent()).toBe('北门南门');
    const wall = north.kiosk
      .db!.prepare(`SELECT wall_ms FROM facts WHERE type = 'check_in' AND guest_id = ?`)
      .pluck()
      .get(ids[0]) as number;
    const bucketStart = Math.floor(wall / 300_000) * 300_000;
    const time = new Intl.DateTimeFormat('zh-CN', {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: EVENT_ZONE,
    }).format(bucketStart);
    const titles = await page.locator('[data-testid=live-arrivals] rect[data-series="北门"] title').allTextContents();
    expect(titles).toContain(
      zh['live.arrivalsBar'].replace('{time}', time).replace('{door}', '北门').replace('{n}', '4'),
    );
    expect(await page.getByTestId('live-zone').textContent()).toContain(EVENT_ZONE);
    const label = (await page.getByTestId('live-arrivals').locator('svg[role=img]').getAttribute('aria-label'))!;
    expect(label).toContain('北门 4');
    expect(label).toContain('南门 3');
    await shot('supervisor-charts-zh-1366x768.png');
  });

  it('keeps chart text at its size (no stretched drawing)', async () => {
    const heights = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid=live-charts] svg text')].map((t) => t.getBoundingClientRect().height),
    );
    expect(heights.length).toBeGreaterThan(3);
    for (const h of heights) expect(h).toBeLessThan(20);
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.viewport);
  });

  it('shows a check-in scanned while the view is open, without a reload', async () => {
    await wedgeScanHere(page, codeOf(north, ids[7]!), 4);
    await expect.poll(async () => (await sums('live-arrivals'))['北门'], { timeout: 20_000 }).toBe(5);
    expect((await sums('live-scans'))[deviceOf(north)]).toBe(6);
  });

  it('speaks Deutsch and English', async () => {
    for (const [locale, name] of [
      ['de', 'de'],
      ['en', 'en'],
    ] as const) {
      await press(`lang-${locale}`);
      if ((await page.getByTestId('scan-overlay').count()) > 0) await page.getByTestId('scan-overlay-dismiss').click();
      const strings = catalogues[locale];
      await expect.poll(() => page.locator('#live-heading').textContent()).toBe(strings['live.heading']);
      expect(await page.getByText(strings['live.arrivals']).count()).toBe(1);
      expect(await page.getByText(strings['live.full']).count()).toBe(1);
      await shot(`supervisor-charts-${name}-1366x768.png`);
    }
  });

  it('asks for nothing while the window is hidden or the view is left, and catches up when shown', async () => {
    let asked = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/api/stats.timeline')) asked += 1;
    });
    const setVisibility = (state: 'hidden' | 'visible') =>
      page.evaluate((value) => {
        // As the browser does when the window is minimised or covered by another tab, and back.
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
        document.dispatchEvent(new Event('visibilitychange'));
      }, state);
    await setVisibility('hidden');
    asked = 0;
    await new Promise((resolve) => setTimeout(resolve, 6_500)); // longer than one refresh period
    expect(asked).toBe(0);
    await setVisibility('visible');
    await expect.poll(() => asked, { timeout: 5_000 }).toBeGreaterThan(0); // at once, not after a period

    await press('nav-door');
    await page.getByTestId('scan-input').waitFor();
    asked = 0;
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    expect(asked).toBe(0);
  });

  it('reported no CSP violation or script error', () => {
    expect(problems).toEqual([]);
  });
});
