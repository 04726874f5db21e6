import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventStats } from '../../shared/sync/protocol.ts';
import type { SyncStatus } from '../../shared/sync/status.ts';
import type { Kiosk } from '../../electron/core/kiosk.ts';
import type { HttpHost } from '../../electron/host/http.ts';
import { launchChromiumWithQrCamera } from '../support/browser.ts';
import { SHOTS } from '../support/door-browser.ts';
import { callApi, lookup, scanLikeAWedge } from '../support/door-page.ts';
import { startKioskHost } from '../support/kiosk-host.ts';
import {
  ADMIN_TOKEN,
  adminGet,
  codeOf,
  newKiosk,
  pairingCode,
  publish,
  startTestServer,
  type TestKiosk,
  type TestServer,
} from '../support/sync-server.ts';
import { tempDir } from '../support/temp.ts';
import { must } from '../support/call.ts';

/**
 * Issue 6 end to end with real parts only: a real server, the organiser's kiosk core, and a browser-hosted
 * kiosk (real core behind the loopback host, Chromium on its door screen) that pairs by showing
 * the pairing QR to Chromium's fake camera, scans while the server is down, and syncs when it is back.
 */
describe('a door kiosk paired with the server', () => {
  const data = tempDir('e2e-sync');
  const profile = tempDir('e2e-sync-profile');
  const files = tempDir('e2e-sync-files');
  let server: TestServer;
  let organiser: TestKiosk;
  let kiosk: Kiosk;
  let host: HttpHost;
  let context: BrowserContext;
  let page: Page;
  let eventId: string;
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  const status = () => callApi<SyncStatus>(host.url, 'sync.status', {});

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startTestServer({ kind: 'pglite' });
    organiser = newKiosk('Registration');
    must(organiser.kiosk, 'event.loadDemo', {});
    eventId = await publish(server, organiser.kiosk);
    await organiser.kiosk.sync!.engine.pair(server.url, await pairingCode(server, eventId, 'Registration'));

    // The pairing QR as the server's admin page shows it, fed to the fake camera.
    const response = await fetch(`${server.url}/v1/admin/events/${eventId}/pairing-codes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'East door' }),
    });
    const { qr } = (await response.json()) as { qr: string };
    ({ kiosk, host } = await startKioskHost(data.dir));
    kiosk.sync!.loop.start(); // as `lanyard serve` and the Electron shell do
    context = await launchChromiumWithQrCamera(profile.dir, files.dir, qr, { width: 1280, height: 800 });
    page = await context.newPage();
    await page.goto(host.url);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await host?.close();
    kiosk?.close();
    organiser?.kiosk.close();
    await server?.close();
    for (const d of [data, profile, files]) d.cleanup();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') await shot(`FAILED-sync-${ctx.task.name.replace(/\W+/g, '-')}`);
  });

  it('pairs a brand-new kiosk by scanning the pairing QR and receives the roster', async () => {
    expect((await status()).state).toBe('unpaired');
    await page.getByTestId('welcome-connect').click();
    await page.getByTestId('pair-scan').click();
    await expect.poll(() => page.getByTestId('pair-code').inputValue(), { timeout: 20_000 }).toMatch(/^\d{12}$/);
    expect(await page.getByTestId('pair-url').inputValue()).toBe(server.url);
    await page.getByTestId('pair-submit').click();
    await page.getByTestId('scan-input').waitFor({ timeout: 20_000 });
    await expect.poll(async () => (await status()).state, { timeout: 20_000 }).toBe('online');
    expect((await callApi<{ guests: number }>(host.url, 'stats.get', {})).guests).toBe(300);
    await shot('sync-01-paired');
  });

  it('scans while the server is down, then turns synced and the server counts the guest', async () => {
    const port = server.port;
    await server.close();
    const guest = await lookup(host.url, 'liu qing');
    await scanLikeAWedge(page, guest.codes[0]!);
    await expect.poll(() => page.getByTestId('banner').getAttribute('data-status')).toBe('checked_in');
    await callApi(host.url, 'sync.now', {});
    await expect.poll(async () => (await status()).state, { timeout: 20_000 }).toBe('offline');
    // The top bar polls every 2 s.
    await expect
      .poll(() => page.getByTestId('sync-status').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('offline');
    expect((await status()).pending).toBe(1);
    await shot('sync-02-offline-waiting');

    server = await startTestServer({ kind: 'pglite' }, server.dataDir, port);
    await callApi(host.url, 'sync.now', {});
    await expect.poll(async () => (await status()).pending, { timeout: 30_000 }).toBe(0);
    await expect
      .poll(() => page.getByTestId('sync-status').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('online');
    const stats = await adminGet<EventStats>(server, `/v1/admin/events/${eventId}/stats`);
    expect(stats).toMatchObject({ checkedIn: 1, checkIns: 1, devices: 2 });
    await shot('sync-03-synced');
  });

  it('shows a badge admitted at two doors on the Conflicts screen, and staff mark it reviewed', async () => {
    const guest = await lookup(host.url, 'liu qing');
    expect(must(organiser.kiosk, 'guests.scan', { code: codeOf(organiser, guest.id) }).status).toBe('checked_in');
    await organiser.kiosk.sync!.engine.syncOnce();
    await callApi(host.url, 'sync.now', {});
    const button = page.getByTestId('conflicts-button');
    await expect.poll(() => button.getAttribute('data-count'), { timeout: 20_000 }).toBe('1');
    await button.click();
    const item = page.getByTestId(`conflict-duplicate-${guest.id}`);
    await item.waitFor();
    const doors = await item.getByTestId('duplicate-checkin').allTextContents();
    expect(doors.join(' ')).toContain('Registration');
    expect(doors.join(' ')).toContain('East door');
    await shot('sync-04-conflicts');
    await page.getByTestId(`mark-reviewed-duplicate-${guest.id}`).click();
    await expect.poll(() => item.getAttribute('data-reviewed'), { timeout: 10_000 }).toBe('true');
    await expect.poll(() => button.getAttribute('data-count'), { timeout: 10_000 }).toBe('0');
  });

  it('lists pulled events it cannot apply as parked, in every language, and keeps syncing (issue 13)', async () => {
    // As an older server stored them before events were checked: a clock 999999999999999 and a walk-in
    // whose codes are a string. Each used to stop every pull of every kiosk.
    const stored = (type: string, hlc: string, payload: unknown, seq: number) =>
      server.sql.query(
        `INSERT INTO fact_log (fact_id, conference_id, device_id, device_seq, type, guest_id, hlc, wall_ms, actor,
                                payload, content_hash, received_ms)
         VALUES (gen_random_uuid(), $1, 'rogue_e2e', $2, $3, 'w_rogue', $4, $5, 'rogue', $6::jsonb, 'unchecked', $5)`,
        [eventId, seq, type, hlc, Date.now(), JSON.stringify(payload)],
      );
    await stored('check_in', '999999999999999-99999-rogue_e2e', { door: 'Rogue', method: 'scan', code: '' }, 1);
    await stored('walk_in', `${String(Date.now()).padStart(15, '0')}-00000-rogue_e2e`, { guest: { codes: '1' } }, 2);
    await callApi(host.url, 'sync.now', {});
    await expect.poll(async () => (await status()).parked, { timeout: 20_000 }).toBe(2);
    expect((await status()).lastError).toBeNull();
    if ((await page.getByTestId('conflicts-screen').count()) === 0) await page.getByTestId('conflicts-button').click();
    const list = page.getByTestId('parked-list');
    await list.waitFor({ timeout: 20_000 });
    const reasons = await list
      .locator('tr[data-reason]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-reason')));
    expect(reasons.sort()).toEqual(['event_clock_skew', 'event_invalid']);
    for (const [lang, expected] of [
      ['de', 'nicht übernehmen'],
      ['zh-CN', '无法应用'],
      ['en', 'could not apply'],
    ] as const) {
      await page.getByTestId(`lang-${lang}`).click();
      await expect.poll(() => page.getByTestId('conflicts-screen').textContent()).toContain(expected);
      await shot(`sync-04b-parked-${lang}`);
    }
  });

  it('asks to pair again when the server revokes the kiosk, and keeps scanning', async () => {
    const deviceId = (await callApi<{ device: { id: string } }>(host.url, 'app.status', {})).device.id;
    await fetch(`${server.url}/v1/admin/devices/${deviceId}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    await callApi(host.url, 'sync.now', {});
    await expect
      .poll(() => page.getByTestId('sync-status').getAttribute('data-state'), { timeout: 20_000 })
      .toBe('reauth');
    await page
      .getByTestId('conflicts-back')
      .click()
      .catch(() => {});
    const other = await lookup(host.url, 'müller');
    await scanLikeAWedge(page, other.codes[0]!);
    await expect
      .poll(
        async () => (await callApi<{ checkedIn: boolean }>(host.url, 'guests.get', { guestId: other.id })).checkedIn,
      )
      .toBe(true);
    await shot('sync-05-reauth');
  });
});
