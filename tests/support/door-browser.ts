import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { Kiosk, KioskOptions } from '../../electron/core/kiosk.ts';
import type { HttpHost } from '../../electron/host/http.ts';
import { launchChromium } from './browser.ts';
import { callApi } from './door-page.ts';
import { startKioskHost } from './kiosk-host.ts';
import { tempDir } from './temp.ts';

export const SHOTS = path.resolve(import.meta.dirname, '../../test-results/e2e');

/** A real kiosk core behind the loopback host, and the tests' Chromium (support/browser.ts) on its door screen. */
export interface DoorBrowser {
  page: Page;
  url: string;
  /** Saves test-results/e2e/NAME.png. */
  shot(name: string): Promise<void>;
  /**
   * For afterEach: a failing test leaves a FAILED-… screenshot; and any console error or uncaught page
   * error since the last check (a CSP refusal, a React warning) fails the test that caused it.
   */
  screenshotIfFailed(ctx: { task: { name: string; result?: { state?: string } } }): Promise<void>;
  /** Console errors seen and not yet reported (screenshotIfFailed reports and clears them). */
  consoleErrors: string[];
  close(): Promise<void>;
}

export async function openDoorBrowser(
  name: string,
  options: { loadDemo: boolean; locale: string },
): Promise<DoorBrowser> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const data = tempDir(`e2e-${name}`);
  const profile = tempDir(`e2e-${name}-profile`);
  const { kiosk, host } = await startKioskHost(data.dir);
  if (options.loadDemo) await callApi(host.url, 'event.loadDemo', {});
  const context = await launchChromium(profile.dir, options.locale);
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  await page.goto(host.url);
  await page.getByTestId(options.loadDemo ? 'scan-input' : 'load-demo').waitFor();
  return {
    page,
    url: host.url,
    shot: async (shotName) => {
      await page.screenshot({ path: path.join(SHOTS, `${shotName}.png`) });
    },
    consoleErrors,
    screenshotIfFailed: async (ctx) => {
      if (ctx.task.result?.state === 'fail') {
        await page.screenshot({ path: path.join(SHOTS, `FAILED-${name}-${ctx.task.name.replace(/\W+/g, '-')}.png`) });
      }
      const seen = consoleErrors.splice(0);
      if (seen.length > 0) {
        throw new Error(`${seen.length} console error(s) during "${ctx.task.name}":\n${seen.slice(0, 10).join('\n')}`);
      }
    },
    close: async () => {
      await context.close();
      await host.close();
      kiosk.close();
      data.cleanup();
      profile.cleanup();
    },
  };
}

type TestContext = { task: { name: string; result?: { state?: string } } };

/**
 * For an e2e file that sets its kiosk up before the browser comes (staff added, a check-in made, the hub's
 * template): `start` the kiosk host, then `openPage` (Chromium at 1366×768, not yet on the door);
 * `screenshotIfFailed` for afterEach leaves a FAILED-NAME-… screenshot; `close` ends the browser, the host,
 * a venue hub if one runs, and the kiosk, and removes the temporary folders.
 */
export function doorSetUpFirst(name: string) {
  const data = tempDir(`e2e-${name}`);
  const profile = tempDir(`e2e-${name}-profile`);
  let started: { kiosk: Kiosk; host: HttpHost } | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  return {
    start: async (options: Pick<KioskOptions, 'hubPgliteTemplate' | 'lowDiskMb'> = {}) => {
      fs.mkdirSync(SHOTS, { recursive: true });
      started = await startKioskHost(data.dir, options);
      return started;
    },
    openPage: async (locale: string): Promise<Page> => {
      context = await launchChromium(profile.dir, locale);
      page = await context.newPage();
      await page.setViewportSize({ width: 1366, height: 768 });
      return page;
    },
    screenshotIfFailed: async (ctx: TestContext) => {
      if (ctx.task.result?.state === 'fail')
        await page?.screenshot({ path: path.join(SHOTS, `FAILED-${name}-${ctx.task.name.replace(/\W+/g, '-')}.png`) });
    },
    close: async () => {
      await context?.close();
      await started?.host.close();
      await started?.kiosk.hub?.shutdown();
      started?.kiosk.close();
      data.cleanup();
      profile.cleanup();
    },
  };
}
