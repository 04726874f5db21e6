import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (or CHROME_PATH); the flags keep it off this machine's closed network. */
export const CHROMIUM_PATH = process.env['CHROME_PATH'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

export function requireChromium(): void {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROME_PATH`,
    );
  }
}

export async function launchChromium(profileDir: string, locale: string): Promise<BrowserContext> {
  requireChromium();
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    locale,
    viewport: { width: 1280, height: 800 },
  });
}

/**
 * Chromium whose fake camera shows a QR code of `text` (rendered with `qrcode`, turned into a Y4M clip by
 * ffmpeg: Chromium's file-backed fake camera takes yuv420p Y4M only).
 */
export async function launchChromiumWithQrCamera(
  profileDir: string,
  filesDir: string,
  text: string,
  viewport: { width: number; height: number },
): Promise<BrowserContext> {
  requireChromium();
  const png = path.join(filesDir, 'qr.png');
  await QRCode.toFile(png, text, { errorCorrectionLevel: 'M', margin: 4, width: 480 });
  const y4m = path.join(filesDir, 'qr.y4m');
  execFileSync('ffmpeg', [
    ...['-loglevel', 'error', '-loop', '1', '-i', png],
    ...['-vf', 'scale=480:480,pad=640:480:80:0:white,format=yuv420p', '-r', '10', '-t', '3'],
    ...['-f', 'yuv4mpegpipe', y4m],
  ]);
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${y4m}`,
    ],
    locale: 'en-US',
    viewport,
  });
}
