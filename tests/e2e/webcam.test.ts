import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromiumWithQrCamera } from '../support/browser.ts';
import { callApi } from '../support/door-page.ts';
import { startKioskHost } from '../support/kiosk-host.ts';
import { tempDir } from '../support/temp.ts';

/**
 * Webcam scanning in Chromium with its fake camera fed a real badge QR (a Y4M written in JS from the QR's modules): zxing-wasm,
 * loaded from the app's own files, decodes it and the guest is checked in — once, although the camera
 * keeps seeing the code.
 */
describe('webcam scanning', () => {
  const data = tempDir('e2e-webcam');
  const profile = tempDir('e2e-webcam-profile');
  const files = tempDir('e2e-webcam-files');
  let stop: () => Promise<void>;
  let context: BrowserContext;
  let url: string;
  let code: string;

  beforeAll(async () => {
    const { kiosk, host } = await startKioskHost(data.dir);
    url = host.url;
    await callApi(url, 'event.loadDemo', {});
    code = (await callApi<{ code: string }>(url, 'codes.issue', { guestId: 'g0004', deviceKey: false })).code;
    context = await launchChromiumWithQrCamera(profile.dir, files.dir, code, { width: 1280, height: 720 });
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

  it('decodes the badge from the camera and checks the guest in once', async () => {
    const page = await context.newPage();
    const wasmRequests: string[] = [];
    page.on('request', (r) => r.url().endsWith('.wasm') && wasmRequests.push(r.url()));
    await page.goto(url);
    await page.getByTestId('webcam-toggle').click();
    await expect
      .poll(() => page.getByTestId('banner').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('checked_in');
    expect(await page.getByTestId('banner-name').textContent()).toBe('Anna Müller');
    await page.screenshot({ path: path.resolve(import.meta.dirname, '../../test-results/e2e/17-webcam.png') });
    // The camera keeps seeing the code: within 3 s that is the same scan, not an amber "already".
    await page.waitForTimeout(1500);
    expect(await page.getByTestId('banner').getAttribute('data-status')).toBe('checked_in');
    expect(wasmRequests.filter((u) => new URL(u).origin !== new URL(url).origin)).toEqual([]);
    expect(wasmRequests.length).toBeGreaterThan(0);
  });
});
