import { chromiumExecutable } from './browser.ts';

/**
 * vitest globalSetup of the suites that start a browser: the npm Chromium is unpacked once, before any
 * test's timeout runs (~15 s the first time on a loaded machine, instant afterwards).
 */
export default async function unpackChromium(): Promise<void> {
  await chromiumExecutable();
}
