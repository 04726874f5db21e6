/**
 * Badges (part of `npm run bench`; alone: `BENCH_PARTS=badges npm run bench`): one badge made print-ready
 * in a warm page (target p99 ≤ 100 ms) and rendered to a PDF page, and a 1,000-badge PDF (target ≤ 10 s),
 * each in rounds (stats.ts). Uses the same Chromium path as `lanyard badge`. Beside the batch's wall time,
 * the CPU time its Chromium processes used: on a shared machine the wall time follows the load, the CPU
 * time much less. The last page of a batch is read back (MuPDF → ZBar) to its guest's code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { badgeBodyHtml, badgeDocument, badgeSizes } from '../../shared/badges/templates.ts';
import { findBrowser } from '../../electron/core/badges/find-browser.ts';
import { bundledFontCss, makePrintReady, renderBadgesPdf } from '../../electron/core/badges/render-pdf.ts';
import { demoBadges } from '../support/badge-batch.ts';
import { qrCodesInPdf } from '../support/pdf-qr.ts';
import { saveRun, startRun } from './run-info.ts';
import { atMost, figure, percentile, type Figure, type Target } from './stats.ts';

const FONT_ROOT = path.resolve(import.meta.dirname, '../../node_modules/@fontsource');

export interface BadgeBench {
  printReadyPageMsP50: Figure;
  printReadyPageMsP99: Figure;
  singleRenderMsP99: Figure;
  batch1000Ms: Figure;
  /** CPU time of the Chromium processes (browser, renderers, utilities) for the 1,000-badge PDF. */
  batch1000ChromiumCpuMs: Figure | null;
  batchPdfMB: number;
  /** The last page of a 1,000-badge PDF decodes to the last guest's code. */
  batchLastPageScans: boolean;
}

const SINGLES_PER_ROUND = 25;

/**
 * CPU milliseconds used so far by this process's descendants that are still running (Linux /proc; null
 * elsewhere). Sampled while the browser is up: its processes' time is gone once they exit.
 */
function descendantsCpuMs(): number | null {
  if (!fs.existsSync('/proc/self/stat')) return null;
  const procs = new Map<number, { parent: number; ticks: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // After "pid (comm) ": state ppid … utime stime are fields 4 and 14, 15 of stat (1-based).
      const fields = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      procs.set(Number(entry), { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // exited meanwhile
    }
  }
  let ticks = 0;
  for (const [pid, proc] of procs) {
    let up = proc.parent;
    for (let depth = 0; up > 1 && up !== process.pid && depth < 50; depth++) up = procs.get(up)?.parent ?? 0;
    if (up === process.pid && pid !== process.pid) ticks += proc.ticks;
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** Runs `work` while sampling its child processes' CPU time; the largest sample is theirs. */
async function withChildCpu<T>(work: () => Promise<T>): Promise<{ result: T; cpuMs: number | null }> {
  let most = descendantsCpuMs();
  const sampler = setInterval(() => {
    const now = descendantsCpuMs();
    if (now !== null && most !== null) most = Math.max(most, now);
  }, 200);
  try {
    return { result: await work(), cpuMs: most };
  } finally {
    clearInterval(sampler);
  }
}

export async function runBadgeBench(rounds: number): Promise<BadgeBench> {
  const one = await demoBadges(5 + SINGLES_PER_ROUND);
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
      // As the batch renderer does it: the badge in, its faces loaded, its text fitted, in one round trip.
      await makePrintReady(page, badgeBodyHtml(b));
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
  const many = await demoBadges(1000);
  const batch: number[] = [];
  const batchCpu: number[] = [];
  let last: Uint8Array = new Uint8Array();
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    const before = descendantsCpuMs();
    const { result, cpuMs } = await withChildCpu(() => renderBadgesPdf(many, 'cr80', FONT_ROOT, 'label'));
    batch.push(performance.now() - t);
    if (cpuMs !== null && before !== null) batchCpu.push(cpuMs - before);
    last = result.pdf;
  }
  const rounded = (xs: number[]) => figure(xs.map(Math.round));
  return {
    printReadyPageMsP50: rounded(singles.map((s) => percentile(s.ready, 50))),
    printReadyPageMsP99: rounded(singles.map((s) => percentile(s.ready, 99))),
    singleRenderMsP99: rounded(singles.map((s) => percentile(s.rendered, 99))),
    batch1000Ms: rounded(batch),
    batch1000ChromiumCpuMs: batchCpu.length > 0 ? rounded(batchCpu) : null,
    batchPdfMB: Math.round((last.byteLength / 1048576) * 10) / 10,
    batchLastPageScans: (await qrCodesInPdf(last, 300, [999]))[0] === many[999]!.code,
  };
}

export function badgeTargets(badges: BadgeBench): Record<string, Target> {
  return {
    badgePrintReadyP99Within100ms: atMost(badges.printReadyPageMsP99.median, 100),
    badgePdf1000Within10s: atMost(badges.batch1000Ms.median, 10_000),
  };
}

/** `BENCH_PARTS=badges npm run bench`: this part alone, saved as bench-results/bench-badges.json. */
export async function runBadgeBenchAlone(rounds: number): Promise<void> {
  const run = startRun();
  console.error(`badges alone: ${rounds} rounds, load average ${run.info.loadAverageStart.join(' ')}`);
  const badges = await runBadgeBench(rounds);
  const targets = badgeTargets(badges);
  const info = run.finish();
  const headline = {
    date: info.startedAt,
    commit: info.commit,
    dirty: info.dirty,
    parts: 'badges',
    node: info.node,
    cpus: info.cpus,
    loadAverage: [info.loadAverageStart[0], info.loadAverageEnd[0]],
    met: `${Object.values(targets).filter((t) => t.met).length}/${Object.keys(targets).length}`,
    ...Object.fromEntries(Object.entries(targets).map(([name, t]) => [name, t.value])),
    batch1000ChromiumCpuMs: badges.batch1000ChromiumCpuMs?.median ?? null,
  };
  saveRun('bench-badges.json', { run: info, rounds, targets, badges }, headline);
  console.log(JSON.stringify({ run: info, targets, badges }, null, 2));
}

if (import.meta.main) await runBadgeBenchAlone(Math.max(3, Number(process.env['BENCH_ROUNDS'] ?? 3)));
