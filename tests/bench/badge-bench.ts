/**
 * Badges (part of `npm run bench`): one badge rendered to a print-ready PDF page after warm-up (target
 * ≤ 100 ms each), a 1,000-badge PDF (target ≤ 60 s). Uses the same Chromium path as `lanyard badge`.
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

export async function runBadgeBench(): Promise<{
  printReadyPageMsP50: number;
  printReadyPageMsP99: number;
  singleRenderMsP50: number;
  singleRenderMsP99: number;
  batch1000Ms: number;
  batchPdfMB: number;
}> {
  const one = await badges(30);
  // Single badge, warm browser: what a kiosk pays per print once Chromium is up.
  const browser = await chromium.launch({
    executablePath: (await findBrowser()).executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage();
  const fonts = bundledFontCss(FONT_ROOT);
  const samples: number[] = [];
  const readySamples: number[] = [];
  // A kiosk keeps one page with the fonts loaded and swaps only the badge in it.
  await page.setContent(badgeDocument([one[0]!], 'cr80', fonts));
  await page.evaluate(() => document.fonts.ready);
  for (const [i, b] of one.entries()) {
    const t = performance.now();
    await page.evaluate((html) => {
      document.body.innerHTML = html;
      return document.fonts.ready.then(() => undefined);
    }, badgeBodyHtml(b));
    await page.evaluate(`(${fitBadgeText.toString()})(document)`);
    const ready = performance.now();
    await page.pdf({
      width: `${badgeSizes.cr80.widthMm}mm`,
      height: `${badgeSizes.cr80.heightMm}mm`,
      printBackground: true,
    });
    if (i >= 5) {
      // the first few warm up fonts and the PDF path
      readySamples.push(ready - t);
      samples.push(performance.now() - t);
    }
  }
  await browser.close();
  samples.sort((a, b) => a - b);
  readySamples.sort((a, b) => a - b);
  const many = await badges(1000);
  const t = performance.now();
  const rendered = await renderBadgesPdf(many, 'cr80', FONT_ROOT, 'label');
  const batch1000Ms = performance.now() - t;
  return {
    printReadyPageMsP50: Math.round(readySamples[Math.floor(readySamples.length / 2)]!),
    printReadyPageMsP99: Math.round(readySamples[readySamples.length - 1]!),
    singleRenderMsP50: Math.round(samples[Math.floor(samples.length / 2)]!),
    singleRenderMsP99: Math.round(samples[samples.length - 1]!),
    batch1000Ms: Math.round(batch1000Ms),
    batchPdfMB: Math.round((rendered.pdf.byteLength / 1048576) * 10) / 10,
  };
}

if (import.meta.main) console.log(JSON.stringify(await runBadgeBench(), null, 2));
