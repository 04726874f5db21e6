import fs from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import { chromium, type BrowserContext } from 'playwright-core';
import { expect } from 'vitest';
import { npmChromiumPath } from '../../electron/core/badges/find-browser.ts';
import { writeQrY4m } from './y4m.ts';

/**
 * The one way tests start a browser: CHROME_PATH when set, otherwise the Chromium inside the npm package
 * @sparticuz/chromium (unpacked to the temp dir on first use, ~15 s). Never a system package. Only our own
 * flags: the package's `args` export turns off web security and forces a single process.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

/**
 * Every launch is appended here (one JSON line: executable, source, test file) so that CI can show that,
 * with CHROME_PATH unset, only the npm Chromium ran (.ci/run checks it after `npm test`).
 */
export const BROWSERS_USED = path.resolve(import.meta.dirname, '../../test-results/browsers-used.jsonl');

let executable: Promise<string> | undefined;

export function chromiumExecutable(): Promise<string> {
  executable ??= (async () => {
    const fromEnv = process.env['CHROME_PATH'];
    if (fromEnv) {
      if (!fs.existsSync(fromEnv)) throw new Error(`CHROME_PATH=${fromEnv} does not exist`);
      return fromEnv;
    }
    const bundled = await npmChromiumPath();
    if (bundled === undefined) {
      throw new Error(
        'no Chromium for the tests: run `npm install` (brings @sparticuz/chromium, Linux x64) or set CHROME_PATH',
      );
    }
    return bundled;
  })();
  return executable;
}

async function launch(
  profileDir: string,
  extraArgs: string[],
  options: { locale: string; viewport: { width: number; height: number }; timezoneId?: string },
): Promise<BrowserContext> {
  const executablePath = await chromiumExecutable();
  const source = process.env['CHROME_PATH'] ? 'CHROME_PATH' : 'npm';
  fs.mkdirSync(path.dirname(BROWSERS_USED), { recursive: true });
  fs.appendFileSync(BROWSERS_USED, `${JSON.stringify({ executablePath, source, test: expect.getState().testPath })}\n`);
  return chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    ...options,
  });
}

export async function launchChromium(profileDir: string, locale: string): Promise<BrowserContext> {
  return launch(profileDir, [], { locale, viewport: { width: 1280, height: 800 } });
}

/** Chromium in a given language, window size and time zone (the organisers' page, issue 17). */
export async function launchChromiumAt(
  profileDir: string,
  options: { locale: string; viewport: { width: number; height: number }; timezoneId: string },
): Promise<BrowserContext> {
  return launch(profileDir, [], options);
}

/**
 * Chromium whose fake camera shows a QR code of `text`: the QR's modules are written straight into a Y4M
 * clip (the only format Chromium's file-backed fake camera reads), no video tool needed.
 */
export async function launchChromiumWithQrCamera(
  profileDir: string,
  filesDir: string,
  text: string,
  viewport: { width: number; height: number },
): Promise<BrowserContext> {
  const y4m = path.join(filesDir, 'qr.y4m');
  writeQrY4m(y4m, QRCode.create(text, { errorCorrectionLevel: 'M' }).modules);
  return launch(
    profileDir,
    [
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${y4m}`,
    ],
    { locale: 'en-US', viewport },
  );
}
