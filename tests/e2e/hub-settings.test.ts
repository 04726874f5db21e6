import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import type { Kiosk } from '../../electron/core/kiosk.ts';
import type { HttpHost } from '../../electron/host/http.ts';
import { lanAddresses } from '../../shared/hub/lan.ts';
import { doorSetUpFirst, SHOTS } from '../support/door-browser.ts';
import { callApi, typePin } from '../support/door-page.ts';
import { decodeQrSvg } from '../support/svg-qr.ts';
import { template } from '../support/sync-server.ts';

/**
 * Settings → venue hub in Chromium at 1366×768, by keyboard, in 中文, Deutsch and English: door staff are
 * signed in, so turning the hub on asks a supervisor's PIN; the panel then says it listens on the venue's
 * network and at which address, makes the next door's pairing code with a QR that decodes to that address
 * and code, and stops. The kiosk's own host stays on loopback all along. While it is on, the door's top bar —
 * and the sign-in screen, with nobody signed in — shows the hub's address and doors in each language, and
 * clicking that sign leads to the hub panel; the guests' self-service screen never shows it; once stopped
 * the sign is gone.
 * Screenshots: test-results/e2e/hub-*.png.
 */
const poll = <T>(read: () => T | Promise<T>, timeout = 15_000) => expect.poll(read, { timeout, interval: 50 });

describe('the venue hub in Settings, in a real browser', () => {
  const door = doorSetUpFirst('hub');
  let kiosk: Kiosk;
  let host: HttpHost;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `hub-${name}.png`) });
  const press = async (testId: string, key = 'Enter') => {
    await page.getByTestId(testId).focus();
    await page.keyboard.press(key);
  };

  beforeAll(async () => {
    ({ kiosk, host } = await door.start({ hubPgliteTemplate: template }));
    await callApi(host.url, 'event.loadDemo', {});
    const owner = createDispatcher(kiosk.ownerHandlers);
    owner('staff.add', { name: 'Bernd Vogel', role: 'supervisor', pin: '9876' });
    owner('staff.add', { name: '王芳', role: 'door', pin: '1234' });
    await callApi(host.url, 'staff.signIn', { name: '王芳', pin: '1234' });
    page = await door.openPage('zh-CN');
    await page.goto(host.url);
    await page.getByTestId('scan-input').waitFor();
  }, 60_000);
  afterAll(() => door.close());
  afterEach((ctx) => door.screenshotIfFailed(ctx));

  it('a supervisor turns the hub on; it shows its LAN address and the next door’s pairing QR; then stops', async () => {
    await press('nav-settings');
    const panel = page.getByTestId('hub-panel');
    await panel.waitFor();
    expect(await panel.getAttribute('data-state')).toBe('off');
    expect(await page.getByTestId('hub-state').textContent()).toContain('未在网络上监听');
    await shot('01-off-zh');

    // A free port rather than the default 8088, which another test or program may hold.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    await page.getByTestId('hub-port').fill('');
    await page.getByTestId('hub-port').focus();
    await page.keyboard.type(String(port), { delay: 60 });
    await press('hub-start');
    await page.getByTestId('supervisor-prompt').waitFor();
    await typePin(page, '9876');
    await poll(() => panel.getAttribute('data-state'), 60_000).toBe('on');
    const lan = lanAddresses(os.networkInterfaces());
    const url = await page.getByTestId('hub-url').textContent();
    expect(url).toBe(`各入口通过 http://${lan[0] ?? '127.0.0.1'}:${port} 连接本枢纽`);
    // The top bar's sign: from the app status, which needs nobody signed in (this door's own door counts).
    const sign = page.getByTestId('hub-indicator');
    const address = `${lan[0] ?? '127.0.0.1'}:${port}`;
    await poll(() => sign.textContent()).toBe(`枢纽 · ${address} · 1 个入口`);
    await shot('02-on-zh');

    await page.getByTestId('hub-door-name').focus();
    await page.keyboard.type('东门', { delay: 60 });
    await page.keyboard.press('Enter');
    await page.getByTestId('hub-qr').waitFor();
    const code = (await page.getByTestId('hub-pairing-code').textContent())!;
    const pairingUrl = (await page.getByTestId('hub-pairing-url').textContent())!;
    expect(code).toMatch(/^\d{12}$/);
    expect(url).toContain(pairingUrl);
    const src = (await page.getByTestId('hub-qr').getAttribute('src'))!;
    const svg = decodeURIComponent(src.slice(src.indexOf(',') + 1));
    expect(await decodeQrSvg(svg)).toEqual([`lanyard-pair:${pairingUrl}#${code}`]);
    await shot('03-pairing-zh');

    // The kiosk's own host stays on loopback while the hub listens on the LAN.
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    if (lan.length > 0) {
      const port = new URL(host.url).port;
      await expect(fetch(`http://${lan[0]}:${port}/`)).rejects.toThrow();
    }

    await press('lang-de');
    await poll(() => page.getByTestId('hub-state').textContent()).toContain(
      'im Netz des Veranstaltungsorts erreichbar',
    );
    expect(await page.getByTestId('hub-url').textContent()).toContain('Die Eingänge erreichen diesen Hub unter');
    expect(await sign.textContent()).toBe(`Hub · ${address} · 1 Eingang`);
    await shot('04-pairing-de');
    await press('lang-en');
    await poll(() => page.getByTestId('hub-state').textContent()).toContain('listening on the venue’s network');
    await shot('05-pairing-en');

    // On the door screen, the sign sits in the sync strip; signed out, the sign-in screen shows it too.
    await press('nav-door');
    await page.getByTestId('scan-input').waitFor();
    expect(await sign.textContent()).toBe(`Hub · ${address} · 1 door`);
    await shot('06-door-en');
    await press('staff-sign-out');
    await page.getByTestId('sign-in-form').waitFor();
    expect(await sign.textContent()).toBe(`Hub · ${address} · 1 door`);
    await shot('07-signed-out-en');
    await press('lang-zh-CN');
    await poll(() => sign.textContent()).toBe(`枢纽 · ${address} · 1 个入口`);
    await shot('08-signed-out-zh');
    await press('lang-de');
    await poll(() => sign.textContent()).toBe(`Hub · ${address} · 1 Eingang`);
    await shot('09-signed-out-de');
    // Clicking the sign leads to the hub panel, after the usual sign-in.
    await press('hub-indicator');
    await page.getByTestId('sign-in-name').selectOption('Bernd Vogel');
    await page.getByTestId('sign-in-pin').focus();
    await typePin(page, '9876');
    await panel.waitFor();
    expect(await panel.getAttribute('data-state')).toBe('on');
    await press('lang-en');
    // The guests' self-service screen never shows it (the status it reads already says the hub is on).
    await press('nav-door');
    await press('self-service-start');
    await page.getByTestId('self-heading').waitFor();
    expect(await sign.count()).toBe(0);
    await shot('10-self-service-en');
    await press('self-staff');
    await page.getByTestId('self-exit-pin').waitFor();
    await typePin(page, '9876');
    await page.getByTestId('scan-input').waitFor();
    expect(await sign.textContent()).toBe(`Hub · ${address} · 1 door`);
    await press('nav-settings');
    await panel.waitFor();

    await press('hub-stop');
    await poll(() => panel.getAttribute('data-state'), 30_000).toBe('off');
    expect(await page.getByTestId('hub-start').isVisible()).toBe(true);
    await poll(() => sign.count()).toBe(0);
    await shot('11-stopped-en');
  }, 180_000);
});
