import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import {
  badgeDocument,
  badgeSheetDocument,
  badgeSizes,
  fitBadgeText,
  type BadgeData,
  type BadgeSize,
} from '../../../shared/badges/templates.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { findBrowser, type FoundBrowser } from './find-browser.ts';

/** In the page: the texts that still overflow their box after fitting. */
const OVERFLOWING_TEXTS = `[...document.querySelectorAll('[data-fit]')]
  .filter((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
  .map((el) => el.textContent ?? '')`;

/**
 * Badges → PDF through a Chromium: Electron's own where it runs, otherwise the one findBrowser() finds
 * (CHROME_PATH, an installed Chrome / Chromium / Edge, the npm Chromium). The fonts are the app's bundled Noto files (Latin, Cyrillic, Greek, CJK), loaded
 * from disk — no network and no system fonts needed.
 */
export const FONT_PACKAGES = ['noto-sans', 'noto-sans-sc'] as const;

export function bundledFontCss(fontRoot: string): string {
  let css = '';
  for (const pkg of FONT_PACKAGES) {
    for (const weight of ['400', '700']) {
      const dir = path.join(fontRoot, pkg);
      const file = path.join(dir, `${weight}.css`);
      if (!fs.existsSync(file)) throw new LanyardFailure('internal', `bundled font missing: ${file}`);
      css += fs
        .readFileSync(file, 'utf8')
        .replace(/url\(\.\/files\//g, `url(${pathToFileURL(path.join(dir, 'files')).href}/`);
    }
  }
  return css;
}

export interface RenderResult {
  pdf: Buffer;
  /** How many text boxes had to shrink to fit, and any that still overflow (should be none). */
  shrunk: number;
  overflowing: string[];
  /** The Chromium that rendered it, and where it was found. */
  browser: FoundBrowser;
}

export async function renderBadgesPdf(
  badges: readonly BadgeData[],
  size: BadgeSize,
  fontRoot: string,
  layout: 'label' | 'a4',
): Promise<RenderResult> {
  const found = await findBrowser();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lanyard-badges-'));
  const browser = await chromium.launch({
    executablePath: found.executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const file = path.join(work, 'badges.html');
    const fonts = bundledFontCss(fontRoot);
    fs.writeFileSync(
      file,
      layout === 'a4' ? badgeSheetDocument(badges, size, fonts) : badgeDocument(badges, size, fonts),
    );
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    // What runs inside the page goes as source text: the core is compiled without the DOM's types, and
    // the page's `document` is not the core's to touch.
    await page.evaluate('document.fonts.ready.then(() => true)');
    // The same fitting function the screen preview uses, sent as source (it has no imports or closures).
    const shrunk = await page.evaluate(`(${fitBadgeText.toString()})(document)`);
    const overflowing = await page.evaluate<string[]>(OVERFLOWING_TEXTS);
    const { widthMm, heightMm } = layout === 'a4' ? { widthMm: 210, heightMm: 297 } : badgeSizes[size];
    const pdf = await page.pdf({
      width: `${widthMm}mm`,
      height: `${heightMm}mm`,
      printBackground: true,
      margin: { top: '0', right: '0', bottom: '0', left: '0' },
    });
    return { pdf, shrunk: Number(shrunk), overflowing, browser: found };
  } finally {
    await browser.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
