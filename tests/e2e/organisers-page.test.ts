import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageStrings } from '../../server/page/strings.ts';
import { launchChromiumAt } from '../support/browser.ts';
import {
  cluster,
  codeOf,
  guestIds,
  newKiosk,
  pairingCode,
  startTestServer,
  type TestKiosk,
  type TestServer,
} from '../support/sync-server.ts';
import { tempDir } from '../support/temp.ts';
import { must } from '../support/call.ts';

/**
 * Issue 17's organisers' page, tried as a Chinese organiser in Berlin would: two doors and a server, the
 * page in 中文 from Accept-Language with no English left, charts drawn, every time in the event's zone
 * (Asia/Shanghai) with the zone shown, on a laptop (1366×768) and a phone (390×844, no sideways scroll),
 * an idle door's "last contact" moving on, a re-paired door's history, a guest's story, and an outage
 * that reads "server unreachable — retrying" while relative times keep ticking.
 */
const SHOTS = path.resolve(import.meta.dirname, '../../test-results');
const EVENT_ZONE = 'Asia/Shanghai';
const VIEWER_ZONE = 'Europe/Berlin';

describe('organisers’ page in 中文, in another time zone', () => {
  let server: TestServer;
  let kiosks: TestKiosk[];
  let side: TestKiosk;
  let eventId: string;
  let ids: string[];
  let browser: BrowserContext;
  let page: Page;
  let serverClosed = false;
  const profile = tempDir('organisers-page-browser');
  const problems: string[] = [];

  const scan = (k: TestKiosk, guestId: string) => must(k.kiosk, 'guests.scan', { code: codeOf(k, guestId) });
  const syncAll = async () => {
    for (const k of kiosks) await k.kiosk.sync!.engine.syncOnce();
    for (const k of kiosks) await k.kiosk.sync!.engine.syncOnce();
  };
  const admin = (route: string, init: RequestInit = {}) =>
    fetch(`${server.url}${route}`, { ...init, headers: { authorization: `Bearer ${server.adminToken}` } });
  /** The rendered heights of the charts' texts (axis values, times, forum names), in CSS pixels. */
  const chartTextHeights = () =>
    page.evaluate(() => [...document.querySelectorAll('.chart svg text')].map((t) => t.getBoundingClientRect().height));
  const shot = async (name: string) => {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
  };

  beforeAll(async () => {
    server = await startTestServer({ kind: 'pglite' });
    ({ eventId, kiosks } = await cluster(server, ['北门', '南门']));
    const [a, b] = kiosks as [TestKiosk, TestKiosk];
    ids = guestIds(a, 12);
    for (const id of ids.slice(0, 5)) expect(scan(a, id).status).toBe('checked_in');
    for (const id of ids.slice(5, 8)) expect(scan(b, id).status).toBe('checked_in');
    expect(scan(b, ids[0]!).status).toBe('checked_in'); // a duplicate across doors
    const forumId = must(a.kiosk, 'event.show', {}).event.forums[0]!.id;
    for (const id of ids.slice(0, 3)) must(a.kiosk, 'forums.assign', { guestId: id, forumId, overrideReason: '' });
    await syncAll();
    // A side door paired, revoked, then paired again: its row shows that history; it is counted once.
    side = newKiosk('侧门');
    await side.kiosk.sync!.engine.pair(server.url, await pairingCode(server, eventId, '侧门'));
    const sideId = must(side.kiosk, 'app.status', {}).device!.id;
    expect((await admin(`/v1/admin/devices/${sideId}/revoke`, { method: 'POST' })).status).toBe(200);
    await side.kiosk.sync!.engine.pair(server.url, await pairingCode(server, eventId, '侧门'));
    await pairingCode(server, eventId, '东门'); // an open code nobody used yet
    // A record a venue hub relayed for 北门 that the server does not trust it for, as the relay records it.
    await server.sql.query(
      `INSERT INTO alerts (conference_id, kind, device_id, fact_id, detail, created_ms) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        eventId,
        'relay_not_trusted',
        must(a.kiosk, 'app.status', {}).device!.id,
        '00000000-0000-4000-8000-000000000001',
        JSON.stringify({ hubId: 'hub-1', reason: 'relay_not_trusted', deviceSeq: 1 }),
        Date.now(),
      ],
    );

    browser = await launchChromiumAt(profile.dir, {
      locale: 'zh-CN',
      viewport: { width: 1366, height: 768 },
      timezoneId: VIEWER_ZONE,
    });
    page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    for (const k of [...(kiosks ?? []), ...(side ? [side] : [])]) k.kiosk.close();
    if (!serverClosed) await server?.close();
    profile.cleanup();
  });

  it('speaks 中文 from Accept-Language, with no English string left', async () => {
    await page.goto(server.url);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.getByTestId('token-submit').textContent()).toBe('登录');
    await page.getByTestId('token-input').fill(server.adminToken);
    await page.getByTestId('token-submit').click();
    await expect.poll(() => page.getByTestId('stat-checked-in').textContent(), { timeout: 20_000 }).toBe('8');
    await expect.poll(() => page.getByTestId('chart-scans').getAttribute('data-bars')).not.toBe(null);
    expect(await page.getByTestId('stat-check-ins').textContent()).toBe('9');
    expect(await page.getByTestId('stat-devices').textContent()).toBe('3'); // 北门, 南门, 侧门 once
    expect(Number(await page.getByTestId('stat-no-shows').textContent())).toBeGreaterThan(0);

    const visible = await page.evaluate(() => document.body.innerText);
    const zh = pageStrings['zh-CN'];
    const english = Object.entries(pageStrings.en)
      .filter(([key, text]) => zh[key as keyof typeof zh] !== text && text.length > 3)
      .map(([, text]) => text.split('{')[0]!.trim())
      .filter((text) => text.length > 3);
    expect(english.filter((text) => visible.includes(text))).toEqual([]);
    expect(visible).not.toMatch(/Failed to fetch|Sign in|Checked in|Devices|never|ago\b/);
    // A rejected record reads in words, its code small beside them.
    expect(await page.getByTestId('alert').locator('b').textContent()).toBe(
      `${(zh as Record<string, string>)['alert.relay_not_trusted']} (relay_not_trusted)`,
    );
    // The event's and the forums' Chinese names.
    expect(await page.locator('#event option:checked').textContent()).toMatch(/[\u4e00-\u9fff]/);
    expect(await page.locator('[data-testid=forum-row] td').first().textContent()).toMatch(/[\u4e00-\u9fff]/);
  });

  it('draws Chinese in the served Noto Sans SC, not as empty boxes (no CJK font on this machine)', async () => {
    // The faces the page's own text made the browser fetch: CJK subsets of the served family.
    const loaded = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts]
        .filter((face) => face.status === 'loaded')
        .map((face) => face.family.replace(/"/g, ''));
    });
    expect(loaded).toContain('Noto Sans SC');
    expect(await page.evaluate(() => document.fonts.check('16px "Noto Sans SC"', '签到'))).toBe(true);
    // Pixels: in the page's font, 签 and 到 are two different glyphs; tofu would be two identical boxes.
    const glyphsDiffer = await page.evaluate(() => {
      const font = `32px ${getComputedStyle(document.body).fontFamily}`;
      const draw = (text: string) => {
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = 40;
        const context = canvas.getContext('2d')!;
        context.font = font;
        context.fillText(text, 2, 34);
        return context.getImageData(0, 0, 40, 40).data.join(',');
      };
      return draw('签') !== draw('到');
    });
    expect(glyphsDiffer).toBe(true);
  });

  it('draws the three charts, non-empty, with text at the page’s size', async () => {
    for (const chart of ['chart-arrivals', 'chart-scans', 'chart-forums']) {
      await expect.poll(async () => Number(await page.getByTestId(chart).getAttribute('data-bars'))).toBeGreaterThan(0);
      expect(await page.locator(`[data-testid=${chart}] svg rect`).count()).toBeGreaterThan(0);
    }
    const heights = await chartTextHeights();
    expect(heights.length).toBeGreaterThan(5);
    for (const h of heights) expect(h).toBeLessThan(20);
    // Arrivals stacked by door, and their parts add up to the guests checked in (8).
    const parts = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid=chart-arrivals] rect[data-series]')].map(
        (r) => r.querySelector('title')!.textContent!,
      ),
    );
    const arrived = parts.map((title) => Number(/(\d+)\s*人/.exec(title)![1]));
    expect(arrived.reduce((a, b) => a + b, 0)).toBe(8);
    await shot('organisers-page-zh-1366x768.png');
  });

  it('shows every time in the event’s zone, and says which zone', async () => {
    const zone = page.getByTestId('zone');
    expect(await zone.isVisible()).toBe(true);
    expect(await zone.textContent()).toContain(EVENT_ZONE);
    const item = page.locator(`[data-testid=feed-item][data-guest-id="${ids[5]}"]`).first();
    const shown = (await item.getByTestId('feed-time').textContent())!;
    const checkin = kiosks[1]!.kiosk
      .db!.prepare(`SELECT wall_ms FROM facts WHERE type = 'check_in' AND guest_id = ?`)
      .pluck()
      .get(ids[5]) as number;
    const hhmm = (timeZone: string) =>
      new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
        new Date(checkin),
      );
    expect(shown).toContain(hhmm(EVENT_ZONE));
    expect(shown).not.toContain(hhmm(VIEWER_ZONE));
  });

  it('lists open pairing codes, and the re-paired door’s revocation', async () => {
    await expect.poll(() => page.getByTestId('open-code').count()).toBe(1);
    expect(await page.getByTestId('open-code').textContent()).toContain('东门');
    const history = page.getByTestId('device-history');
    await expect.poll(() => history.count()).toBe(1);
    expect(await history.textContent()).toContain('被撤销');
  });

  it('finds a guest and shows the guest’s history', async () => {
    const name = kiosks[0]!.kiosk
      .db!.prepare(`SELECT display_name FROM guests WHERE id = ?`)
      .pluck()
      .get(ids[0]) as string;
    await page.getByTestId('guest-query').fill(name);
    await page.getByTestId('guest-submit').click();
    await page.getByTestId('guest-result').first().click();
    await expect.poll(() => page.locator('[data-testid=history-entry][data-type=check_in]').count()).toBe(2);
    expect(await page.locator('[data-testid=history-entry][data-type=forum_assign]').count()).toBe(1);
    expect(await page.getByTestId('guest-history').textContent()).toContain('北门');
  });

  it('an idle door’s last contact moves on with every sync round', async () => {
    const southId = must(kiosks[1]!.kiosk, 'app.status', {}).device!.id;
    const cell = page.locator(
      `[data-testid=device-row][data-device-id="${southId}"] [data-testid=device-last-contact]`,
    );
    const before = Number(await cell.getAttribute('data-ago'));
    expect(before).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // contact is kept in ms: let the clock move
    const report = await kiosks[1]!.kiosk.sync!.engine.syncOnce();
    expect(report.pushed).toBe(0); // nothing to send: a pull only
    await expect
      .poll(async () => Number(await cell.getAttribute('data-ago')), { timeout: 15_000 })
      .toBeGreaterThan(before);
  });

  it('switches to Deutsch and back, names and all', async () => {
    await page.getByTestId('lang').selectOption('de');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    expect(await page.getByTestId('sign-out').textContent()).toBe(pageStrings.de.signOut);
    await expect.poll(() => page.getByTestId('status').textContent()).toBe(pageStrings.de.live);
    await shot('organisers-page-de-1366x768.png');
    await page.getByTestId('lang').selectOption('zh-CN');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
  });

  it('fits a phone (390×844) with no sideways scroll', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect.poll(() => page.getByTestId('stat-checked-in').textContent(), { timeout: 20_000 }).toBe('8');
    await expect
      .poll(async () => Number(await page.getByTestId('chart-arrivals').getAttribute('data-bars')))
      .toBeGreaterThan(0);
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      body: document.body.scrollWidth,
      viewport: window.innerWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.viewport);
    expect(widths.body).toBeLessThanOrEqual(widths.viewport);
    await shot('organisers-page-zh-390x844.png');
  });

  it('during an outage says “server unreachable — retrying” in 中文, and relative times keep ticking', async () => {
    const cell = page.getByTestId('device-last-contact').first();
    await server.close();
    serverClosed = true;
    await expect
      .poll(() => page.getByTestId('status').textContent(), { timeout: 20_000 })
      .toBe(pageStrings['zh-CN'].unreachable);
    // Widened from the phone while no fresh data can come: the charts are drawn again at the new width
    // from what the page has, their text still 12 px (a drawing stretched from 390 px made it ~40 px).
    await page.setViewportSize({ width: 1366, height: 768 });
    await expect.poll(() => chartTextHeights().then((h) => Math.max(...h)), { timeout: 10_000 }).toBeLessThan(20);
    const first = await cell.textContent();
    await expect.poll(() => cell.textContent(), { timeout: 70_000 }).not.toBe(first);
    const visible = await page.evaluate(() => document.body.innerText);
    expect(visible).not.toContain('Failed to fetch');
    await shot('organisers-page-zh-outage.png');
  }, 120_000);

  it('reported no CSP violation or script error', () => {
    expect(problems).toEqual([]);
  });
});
