/**
 * Badges (part of `npm run bench`): one badge made print-ready in a warm page (target p99 ≤ 100 ms) and
 * rendered to a PDF page, and a 1,000-badge PDF (target ≤ 10 s), each in rounds (stats.ts). Uses the same
 * Chromium path as `lanyard badge`.
 */
import path from 'node:path';
import { chromium } from 'playwright-core';
import QRCode from 'qrcode';
import {
  badgeBodyHtml,
  badgeDocument,
  badgeSizes,
  fitBadgeText,
  type BadgeData,
} from '../../shared/badges/templates.ts';
import { findBrowser } from '../../electron/core/badges/find-browser.ts';
import { bundledFontCss, renderBadgesPdf } from '../../electron/core/badges/render-pdf.ts';
import { generateRoster } from '../../electron/core/demo/generate.ts';
import { figure, percentile, type Figure } from './stats.ts';

const FONT_ROOT = path.resolve(import.meta.dirname, '../../node_modules/@fontsource');

async function badges(n: number): Promise<BadgeData[]> {
  const roster = generateRoster(n, 5);
  return Promise.all(
    roster.map(async (g) => ({
      guestId: g.id,
      name: g.displayName,
      latinName: g.latinName,
      organization: g.organization,
      role: g.role,
      roleLabel: g.role,
      forum: '',
      eventName: 'Global Innovation Partner Open Day',
      code: g.codes[0]!,
      qrSvg: await QRCode.toString(g.codes[0]!, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
      logo: '',
    })),
  );
}

export interface BadgeBench {
  printReadyPageMsP50: Figure;
  printReadyPageMsP99: Figure;
  singleRenderMsP99: Figure;
  batch1000Ms: Figure;
  batchPdfMB: number;
}

const SINGLES_PER_ROUND = 25;

export async function runBadgeBench(rounds: number): Promise<BadgeBench> {
  const one = await badges(5 + SINGLES_PER_ROUND);
  // Single badge, warm browser: what a kiosk pays per print once Chromium is up.
  const browser = await chromium.launch({
    executablePath: (await findBrowser()).executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage();
  const fonts = bundledFontCss(FONT_ROOT);
  const singles: Array<{ ready: number[]; rendered: number[] }> = [];
  // A kiosk keeps one page with the fonts loaded and swaps only the badge in it.
  await page.setContent(badgeDocument([one[0]!], 'cr80', fonts));
  await page.evaluate(() => document.fonts.ready);
  for (let r = -1; r < rounds; r++) {
    // round -1 warms up fonts and the PDF path
    const round = { ready: [] as number[], rendered: [] as number[] };
    for (const b of r < 0 ? one.slice(0, 5) : one.slice(5)) {
      const t = performance.now();
      await page.evaluate((html) => {
        document.body.innerHTML = html;
        return document.fonts.ready.then(() => undefined);
      }, badgeBodyHtml(b));
      await page.evaluate(`(${fitBadgeText.toString()})(document)`);
      round.ready.push(performance.now() - t);
      await page.pdf({
        width: `${badgeSizes.cr80.widthMm}mm`,
        height: `${badgeSizes.cr80.heightMm}mm`,
        printBackground: true,
      });
      round.rendered.push(performance.now() - t);
    }
    if (r >= 0) singles.push(round);
  }
  await browser.close();
  const many = await badges(1000);
  const batch: number[] = [];
  let batchBytes = 0;
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    const rendered = await renderBadgesPdf(many, 'cr80', FONT_ROOT, 'label');
    batch.push(performance.now() - t);
    batchBytes = rendered.pdf.byteLength;
  }
  const rounded = (xs: number[]) => figure(xs.map(Math.round));
  return {
    printReadyPageMsP50: rounded(singles.map((s) => percentile(s.ready, 50))),
    printReadyPageMsP99: rounded(singles.map((s) => percentile(s.ready, 99))),
    singleRenderMsP99: rounded(singles.map((s) => percentile(s.rendered, 99))),
    batch1000Ms: rounded(batch),
    batchPdfMB: Math.round((batchBytes / 1048576) * 10) / 10,
  };
}

if (import.meta.main)
  console.log(JSON.stringify(await runBadgeBench(Number(process.env['BENCH_ROUNDS'] ?? 3)), null, 2));
