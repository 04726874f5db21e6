import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import {
  badgeBodies,
  badgeShellDocument,
  badgeSizes,
  badgesPerPage,
  fitBadgeText,
  type BadgeData,
  type BadgeLayout,
  type BadgeSize,
} from '../../../shared/badges/templates.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { concatenatePdfs } from './concat-pdf.ts';
import { findBrowser, type FoundBrowser } from './find-browser.ts';

/** In the page: the texts that still overflow their box after fitting. */
const OVERFLOWING_TEXTS = `[...document.querySelectorAll('[data-fit]')]
  .filter((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
  .map((el) => el.textContent ?? '')`;

/**
 * Badges → PDF through a Chromium: Electron's own where it runs, otherwise the one findBrowser() finds
 * (CHROME_PATH, an installed Chrome / Chromium / Edge, the npm Chromium). The fonts are the app's bundled Noto files (Latin, Cyrillic, Greek, Chinese, Korean), loaded
 * from disk — no network and no system fonts needed.
 */
/** Pages printing at once, at most: one per CPU, up to this. */
const MAX_PRINTING_PAGES = 4;

/** Latin, Cyrillic and Greek; Chinese (with Japanese kana); Korean Hangul, which Noto Sans SC does not cover. */
export const FONT_PACKAGES = ['noto-sans', 'noto-sans-sc', 'noto-sans-kr'] as const;

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

/**
 * Badges per print job. Chromium's printing grows faster than its page count (measured at load 10–15 on
 * 2 cores, CPU per badge inside page.pdf: 1.2 ms at 50–250 badges, 2.3 ms at 500, 5–6 ms at 1,000), and
 * so does fitting the text of a big document: a batch prints in chunks of about this size, concatenated.
 */
export const BADGES_PER_PRINT_JOB = 150;

/** In the page: put a chunk of badges in the body, wait for the faces they use, fit their text. */
const PRINT_READY = `async (html) => {
  document.body.innerHTML = html;
  // Lay out now: the faces this chunk needs start loading, and fonts.ready waits for them.
  document.body.getBoundingClientRect();
  await document.fonts.ready;
  const shrunk = (${fitBadgeText.toString()})(document);
  const overflowing = ${OVERFLOWING_TEXTS};
  return { shrunk, overflowing };
}`;

/**
 * Puts badges (`badgeBodies` or `badgeBodyHtml`) into a page holding a badge document, waits for the
 * faces they use and fits their text: one round trip to the page. What runs inside the page goes as
 * source text: the core is compiled without the DOM's types.
 */
export async function makePrintReady(page: Page, html: string): Promise<{ shrunk: number; overflowing: string[] }> {
  return page.evaluate(
    ([source, body]) => (0, eval)(source)(body) as Promise<{ shrunk: number; overflowing: string[] }>,
    [PRINT_READY, html] as const,
  );
}

/**
 * Consecutive runs of badges, each a whole number of pages, of about BADGES_PER_PRINT_JOB badges; when
 * there are several, as many as makes every worker print the same number of them.
 */
export function printJobs<T>(badges: readonly T[], perPage: number, workers: number): T[][] {
  const pages = Math.ceil(badges.length / perPage);
  const wanted = Math.ceil(pages / Math.ceil(BADGES_PER_PRINT_JOB / perPage));
  const jobs = wanted <= 1 ? 1 : workers * Math.ceil(wanted / workers);
  const size = Math.ceil(pages / jobs) * perPage;
  const out: T[][] = [];
  for (let i = 0; i < badges.length; i += size) out.push(badges.slice(i, i + size));
  return out;
}

export async function renderBadgesPdf(
  badges: readonly BadgeData[],
  size: BadgeSize,
  fontRoot: string,
  layout: BadgeLayout,
): Promise<RenderResult> {
  const found = await findBrowser();
  // playwright-core is loaded when badges are first printed, not at start: loading it costs every
  // `lanyard` command and the app's start ~0.4 s of CPU (seconds on a busy laptop).
  const { chromium } = await import('playwright-core');
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
    fs.writeFileSync(file, badgeShellDocument(size, bundledFontCss(fontRoot), layout));
    const { widthMm, heightMm } = layout === 'a4' ? { widthMm: 210, heightMm: 297 } : badgeSizes[size];
    const cpus = Math.max(1, Math.min(MAX_PRINTING_PAGES, os.availableParallelism()));
    const jobs = printJobs(badges, badgesPerPage(size, layout), cpus);
    const parts: Buffer[] = [];
    let shrunk = 0;
    const overflowing: string[][] = [];
    let next = 0;
    // One page per CPU, each in its own browser context and so its own renderer process: the jobs
    // print in parallel. A page keeps its document (and the faces it has loaded) from job to job.
    const printer = async () => {
      const page = await (await browser.newContext()).newPage();
      await page.goto(pathToFileURL(file).href);
      for (let job = next++; job < jobs.length; job = next++) {
        const ready = await makePrintReady(page, badgeBodies(jobs[job]!, size, layout));
        const pdf = await page.pdf({
          // The @page size: a CR80 page comes out 85.68 × 54.02 mm, where the width and height options
          // alone give 85.68 × 54.36 mm (Chromium rounds them more coarsely); they stay as a fallback.
          preferCSSPageSize: true,
          width: `${widthMm}mm`,
          height: `${heightMm}mm`,
          printBackground: true,
          margin: { top: '0', right: '0', bottom: '0', left: '0' },
        });
        parts[job] = pdf;
        shrunk += ready.shrunk;
        overflowing[job] = ready.overflowing;
      }
    };
    await Promise.all(Array.from({ length: Math.min(cpus, jobs.length) }, printer));
    return { pdf: await concatenatePdfs(parts), shrunk, overflowing: overflowing.flat(), browser: found };
  } finally {
    await browser.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
