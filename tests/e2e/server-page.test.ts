import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { cluster, codeOf, guestIds, startTestServer, type TestKiosk, type TestServer } from '../support/sync-server.ts';
import { tempDir } from '../support/temp.ts';
import { must } from '../support/call.ts';

/**
 * The organisers' page in Chromium against a real server with two real kiosks: sign in with the admin
 * token, see the arrivals live (auto-refresh), make a pairing code with its QR, export, revoke a device —
 * all under the page's strict CSP, with no violation reported.
 */
describe('organisers’ page in a real browser', () => {
  let server: TestServer;
  let kiosks: TestKiosk[];
  let ids: string[];
  let browser: BrowserContext;
  let page: Page;
  const profile = tempDir('server-page-browser');
  const problems: string[] = [];

  const scan = (k: TestKiosk, guestId: string) => must(k.kiosk, 'guests.scan', { code: codeOf(k, guestId) });
  const syncAll = async () => {
    for (const k of kiosks) await k.kiosk.sync!.engine.syncOnce();
    for (const k of kiosks) await k.kiosk.sync!.engine.syncOnce();
  };

  beforeAll(async () => {
    server = await startTestServer({ kind: 'pglite' });
    ({ kiosks } = await cluster(server, ['North', 'South']));
    const [a, b] = kiosks as [TestKiosk, TestKiosk];
    ids = guestIds(a, 10);
    for (const id of ids.slice(0, 3)) expect(scan(a, id).status).toBe('checked_in');
    expect(scan(b, ids[3]!).status).toBe('checked_in');
    expect(scan(b, ids[0]!).status).toBe('checked_in'); // a duplicate across doors
    await syncAll();
    browser = await launchChromium(profile.dir, 'en-US');
    page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && !/401/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    for (const k of kiosks ?? []) k.kiosk.close();
    await server?.close();
    profile.cleanup();
  });

  it('refuses a wrong token, then shows the live numbers with the right one', async () => {
    await page.goto(server.url);
    await page.getByTestId('token-input').fill('lya_not-the-token');
    await page.getByTestId('token-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('not accepted');

    await page.getByTestId('token-input').fill(server.adminToken);
    await page.getByTestId('token-submit').click();
    await expect.poll(() => page.getByTestId('stat-checked-in').textContent()).toBe('4');
    expect(await page.getByTestId('stat-duplicates').textContent()).toBe('1');
    expect(await page.getByTestId('stat-devices').textContent()).toBe('2');
    await expect.poll(() => page.getByTestId('door-row').count()).toBe(2);
    expect(
      await page.locator('[data-testid=door-row][data-door=North] [data-testid=door-check-ins]').textContent(),
    ).toBe('3');
    expect(await page.getByTestId('duplicate').getAttribute('data-guest-id')).toBe(ids[0]);
    expect(await page.getByTestId('forum-row').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('device-row').count()).toBe(2);
    // The token stays in this tab's sessionStorage only.
    expect(await page.evaluate(() => sessionStorage.getItem('lanyard.adminToken'))).toBe(server.adminToken);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  it('refreshes on its own as kiosks sync', async () => {
    expect(scan(kiosks[1]!, ids[5]!).status).toBe('checked_in');
    await syncAll();
    await expect.poll(() => page.getByTestId('stat-checked-in').textContent(), { timeout: 10_000 }).toBe('5');
  });

  it('survives a reload (token kept for the tab)', async () => {
    await page.reload();
    await expect.poll(() => page.getByTestId('stat-checked-in').textContent()).toBe('5');
  });

  it('makes a pairing code with a QR image', async () => {
    await page.getByTestId('pairing-name').fill('Side door');
    await page.getByTestId('pairing-submit').click();
    await expect.poll(() => page.getByTestId('pairing-code').textContent()).toMatch(/^\d{4} \d{4} \d{4}$/);
    expect(await page.getByTestId('pairing-text').textContent()).toMatch(
      /^lanyard-pair:http:\/\/127\.0\.0\.1:\d+#\d{12}$/,
    );
    await expect
      .poll(() => page.getByTestId('pairing-qr').evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
  });

  it('downloads the CSV export', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^attendance-.+\.csv$/);
    const file = path.join(profile.dir, 'export.csv');
    await download.saveAs(file);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.split('\r\n').filter((l) => /,yes,/.test(l)).length).toBeGreaterThanOrEqual(5);
  });

  it('revokes a device', async () => {
    page.once('dialog', (d) => void d.accept());
    await page.locator('[data-testid=device-row]').first().getByTestId('revoke').click();
    await expect.poll(() => page.locator('[data-testid=device-row].revoked').count()).toBe(1);
  });

  it('reported no CSP violation or script error', () => {
    expect(problems).toEqual([]);
  });
});
