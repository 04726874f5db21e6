import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Page, type Route } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConflictList, SyncStatus } from '../../shared/sync/status.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH, requireChromium } from '../support/browser.ts';
import { SHOTS } from '../support/door-browser.ts';
import { callApi } from '../support/door-page.ts';
import { startKioskHost } from '../support/kiosk-host.ts';
import { tempDir } from '../support/temp.ts';

/**
 * The kiosk side of sync (issue 6) as staff see it, with the `sync.*` methods answered by a scripted
 * fake in the browser (the real server round trip has its own test): the status line on the top bar,
 * pairing from the pairing QR shown to the fake camera, a refused code, and the Conflicts screen.
 */
describe('sync status, pairing and conflicts (UI)', () => {
  const data = tempDir('e2e-sync-ui');
  const profile = tempDir('e2e-sync-ui-profile');
  const files = tempDir('e2e-sync-ui-files');
  let stop: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;
  let url: string;
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

  const unpaired: SyncStatus = {
    state: 'unpaired',
    paired: false,
    serverUrl: '',
    eventId: '',
    lastSyncAt: null,
    lastAttemptAt: null,
    nextAttemptAt: null,
    lastError: null,
    pending: 0,
    rejected: 0,
    clockOffsetMs: null,
    clockWarning: false,
    openConflicts: 0,
  };
  let status: SyncStatus = unpaired;
  /** What the next `sync.status` turns into while pairing (the background pairing's outcome). */
  let afterPairing: SyncStatus = unpaired;
  let conflicts: ConflictList = { duplicates: [], forumConflicts: [], rejected: [] };
  const pairCalls: { url: string; code: string }[] = [];

  const answer = (route: Route, value: unknown) =>
    route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: true, value }) });

  beforeAll(async () => {
    requireChromium();
    fs.mkdirSync(SHOTS, { recursive: true });
    const { kiosk, host } = await startKioskHost(data.dir);
    url = host.url;
    await callApi(url, 'event.loadDemo', {});
    const png = path.join(files.dir, 'pair.png');
    await QRCode.toFile(png, 'lanyard-pair:http://10.0.0.5:8080#123456789012', { margin: 4, width: 480 });
    const y4m = path.join(files.dir, 'pair.y4m');
    execFileSync('ffmpeg', [
      ...['-loglevel', 'error', '-loop', '1', '-i', png],
      ...['-vf', 'scale=480:480,pad=640:480:80:0:white,format=yuv420p', '-r', '10', '-t', '3'],
      ...['-f', 'yuv4mpegpipe', y4m],
    ]);
    context = await chromium.launchPersistentContext(profile.dir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        ...CHROMIUM_ARGS,
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${y4m}`,
      ],
      locale: 'en-US',
      viewport: { width: 1280, height: 800 },
    });
    await context.route('**/api/sync.*', async (route) => {
      const method = new URL(route.request().url()).pathname.replace('/api/', '');
      const input = route.request().postDataJSON() as Record<string, string>;
      if (method === 'sync.status') {
        const now = status;
        if (status.state === 'pairing') status = afterPairing;
        return answer(route, now);
      }
      if (method === 'sync.pair') {
        pairCalls.push({ url: input['url']!, code: input['code']! });
        status = { ...status, state: 'pairing', lastError: null };
        return answer(route, status);
      }
      if (method === 'sync.now') return answer(route, status);
      if (method === 'sync.conflicts') return answer(route, conflicts);
      if (method === 'sync.markReviewed') {
        const mark = <T extends { guestId: string; reviewed: boolean }>(items: T[], kind: string) =>
          items.map((i) => (input['kind'] === kind && i.guestId === input['guestId'] ? { ...i, reviewed: true } : i));
        conflicts = {
          ...conflicts,
          duplicates: mark(conflicts.duplicates, 'duplicate'),
          forumConflicts: mark(conflicts.forumConflicts, 'forum'),
        };
        status = { ...status, openConflicts: status.openConflicts - 1 };
        return answer(route, conflicts);
      }
      return route.continue();
    });
    page = await context.newPage();
    await page.goto(url);
    await page.getByTestId('scan-input').waitFor();
    stop = async () => {
      await context.close();
      await host.close();
      kiosk.close();
    };
  });
  afterAll(async () => {
    await stop();
    for (const d of [data, profile, files]) d.cleanup();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      await shot(`FAILED-sync-ui-${ctx.task.name.replace(/\W+/g, '-')}`);
    }
  });

  it('shows "not connected" on a kiosk never paired, and the door keeps working', async () => {
    const indicator = page.getByTestId('sync-status');
    await expect.poll(() => indicator.getAttribute('data-state')).toBe('unpaired');
    expect(await indicator.textContent()).toContain('Not connected');
    expect(await page.getByTestId('sync-last').count()).toBe(0);
    expect(await page.getByTestId('conflicts-button').count()).toBe(0);
    expect(await page.getByTestId('scan-input').isEnabled()).toBe(true);
    await shot('sync-01-unpaired');
  });

  it('reports a refused pairing code in the staff language', async () => {
    afterPairing = { ...unpaired, lastError: { code: 'pairing_code_invalid', message: 'no such code' } };
    await page.getByTestId('sync-status').click();
    await page.getByTestId('pair-url').fill('10.0.0.5:8080');
    await page.getByTestId('pair-code').fill('000000000000');
    await page.getByTestId('pair-submit').click();
    const error = page.getByTestId('pair-error');
    await expect.poll(() => error.getAttribute('data-code'), { timeout: 5000 }).toBe('pairing_code_invalid');
    expect(await error.textContent()).toContain('wrong, expired or already used');
    expect(pairCalls.at(-1)).toEqual({ url: 'http://10.0.0.5:8080', code: '000000000000' });
    await shot('sync-02-pair-refused');
    await page.getByTestId('sync-dialog-close').click();
  });

  it('pairs from the pairing QR shown to the camera, then closes', async () => {
    afterPairing = {
      ...unpaired,
      state: 'online',
      paired: true,
      serverUrl: 'http://10.0.0.5:8080',
      eventId: 'open-day',
      lastSyncAt: new Date(Date.now() - 125_000).toISOString(),
      lastAttemptAt: new Date(Date.now() - 125_000).toISOString(),
      pending: 3,
      clockOffsetMs: 200_000,
      clockWarning: true,
      openConflicts: 2,
      rejected: 1,
    };
    await page.getByTestId('door-settings').click();
    await page.getByTestId('sync-connect-open').click();
    await page.getByTestId('pair-scan').click();
    await expect.poll(() => page.getByTestId('pair-code').inputValue(), { timeout: 20_000 }).toBe('123456789012');
    expect(await page.getByTestId('pair-url').inputValue()).toBe('http://10.0.0.5:8080');
    await page.getByTestId('pair-submit').click();
    await expect.poll(() => page.getByTestId('sync-dialog').count(), { timeout: 5000 }).toBe(0);
    expect(pairCalls.at(-1)).toEqual({ url: 'http://10.0.0.5:8080', code: '123456789012' });
    await expect
      .poll(() => page.getByTestId('sync-status').getAttribute('data-state'), { timeout: 5000 })
      .toBe('online');
    expect(await page.getByTestId('sync-last').textContent()).toMatch(/^synced 2 min/);
    expect(await page.getByTestId('sync-pending').textContent()).toBe('3 waiting');
    expect(await page.getByTestId('sync-clock-warning').textContent()).toContain('3 min 20 s');
    expect(await page.getByTestId('conflicts-button').getAttribute('data-count')).toBe('2');
    await shot('sync-03-online');
  });

  it('lists duplicates, forum conflicts and refused events, and marks them reviewed', async () => {
    const [alice, bob] = (
      await callApi<{ results: { id: string; name: string; organization: string }[] }>(url, 'guests.search', {
        query: 'a',
        limit: 2,
      })
    ).results;
    const forums = (await callApi<{ forums: { id: string; name: { en: string } }[] }>(url, 'forums.list', {})).forums;
    const checkin = (id: string, door: string, deviceId: string, at: string) => ({
      id,
      guestId: alice!.id,
      deviceId,
      door,
      at,
      hlc: '',
      method: 'scan' as const,
      voided: false,
    });
    const assignment = (eventId: string, forumId: string, door: string) => ({
      eventId,
      forumId,
      deviceId: 'kiosk_b',
      door,
      at: '2026-05-20T01:00:00.000Z',
    });
    conflicts = {
      duplicates: [
        {
          guestId: alice!.id,
          name: alice!.name,
          organization: alice!.organization,
          checkins: [
            checkin('c1', 'North', 'kiosk_a', '2026-05-20T01:00:00.000Z'),
            checkin('c2', 'South', 'kiosk_b', '2026-05-20T01:00:05.000Z'),
          ],
          reviewed: false,
        },
      ],
      forumConflicts: [
        {
          guestId: bob!.id,
          name: bob!.name,
          winner: assignment('e1', forums[0]!.id, 'North'),
          losers: [assignment('e2', forums[1]!.id, 'South')],
          reviewed: false,
        },
      ],
      rejected: [
        { eventId: 'ev9', type: 'check_in', guestId: 'g0042', reason: 'seq_conflict', at: '2026-05-20T01:02:00Z' },
      ],
    };
    await page.getByTestId('conflicts-button').click();
    const duplicate = page.getByTestId(`conflict-duplicate-${alice!.id}`);
    await duplicate.waitFor();
    const rows = duplicate.getByTestId('duplicate-checkin');
    expect(await rows.count()).toBe(2);
    expect(await rows.first().getAttribute('data-arrival')).toBe('true');
    expect(await rows.first().textContent()).toContain('Arrival');
    expect(await rows.first().textContent()).toContain('North');
    const forum = page.getByTestId(`conflict-forum-${bob!.id}`);
    expect(await forum.getByTestId('forum-winner').textContent()).toContain(forums[0]!.name.en);
    expect(await forum.getByTestId('forum-loser').textContent()).toContain(forums[1]!.name.en);
    expect(await page.getByTestId('conflict-rejected-ev9').textContent()).toContain('numbered the same');
    await shot('sync-04-conflicts');

    await page.getByTestId(`mark-reviewed-duplicate-${alice!.id}`).click();
    await expect.poll(() => duplicate.getAttribute('data-reviewed')).toBe('true');
    expect(await page.getByTestId('conflicts-reviewed').getByTestId(`conflict-duplicate-${alice!.id}`).count()).toBe(1);
    expect(await page.getByTestId('duplicates-none').count()).toBe(1);
    await expect
      .poll(() => page.getByTestId('conflicts-button').getAttribute('data-count'), { timeout: 5000 })
      .toBe('1');
    await shot('sync-05-reviewed');
  });

  it('asks to pair again when the server no longer accepts the kiosk', async () => {
    status = { ...status, state: 'reauth', lastError: { code: 'unauthorized', message: '401' } };
    await expect
      .poll(() => page.getByTestId('sync-status').getAttribute('data-state'), { timeout: 5000 })
      .toBe('reauth');
    await page.getByTestId('sync-status').click();
    expect(await page.getByTestId('pair-form').count()).toBe(1);
    expect(await page.getByTestId('pair-url').inputValue()).toBe('http://10.0.0.5:8080');
    expect(await page.getByTestId('sync-last-error').textContent()).toContain('pair it again');
    await shot('sync-06-reauth');
    await page.getByTestId('sync-dialog-close').click();
    await page.getByTestId('lang-zh-CN').click();
    await page.getByTestId('sync-status').click();
    expect(await page.getByTestId('sync-dialog').textContent()).toContain('需要重新配对');
    await shot('sync-07-reauth-zh');
    await page.getByTestId('sync-dialog-close').click();
    await page.getByTestId('lang-de').click();
    expect(await page.getByTestId('sync-status').textContent()).toContain('Neu koppeln');
    await shot('sync-08-strip-de');
  });
});
