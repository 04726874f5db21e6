/**
 * Where a scan's time goes: `node tests/bench/scan-probe.ts [guests] [--profile] [--count]`.
 * On one kiosk loaded like core-bench.ts's, it reports, interleaved with the same floor (an indexed select
 * and a one-row insert transaction, WAL, synchronous=FULL): scan and floor p50/p99 per round and their
 * ratio; WAL frames per commit (the WAL truncated before each sample, its size read after); with
 * `--count`, the SQLite statements one scan runs (every statement's run/get/all counted) and which
 * B-trees (tables and indexes, leaf or interior pages) a scan's WAL frames belong to; with
 * `--profile`, 20,000 more scans and nothing else, for `node --cpu-prof`.
 */
import fs from 'node:fs';
import os from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { seededRandom } from '../../electron/core/demo/generate.ts';
import { openProbeKiosk } from './probe-kiosk.ts';
import { walFramesOf } from './scan-floor.ts';
import { percentile, round3, time } from './stats.ts';

const guests = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 50_000);
const profile = process.argv.includes('--profile');
const count = process.argv.includes('--count');
const ROUNDS = 5;
const PER_ROUND = 500;
const FRAME_SAMPLES = Number(process.env['PROBE_FRAMES'] ?? 100);

/** Statement executions, by SQL text (only with --count: wrapping costs time). */
const executions = new Map<string, number>();
if (count) {
  const proto = BetterSqlite3.prototype as unknown as { prepare: (sql: string) => object };
  const prepare = proto.prepare;
  proto.prepare = function (this: unknown, sql: string) {
    const statement = prepare.call(this, sql) as Record<string, (...args: unknown[]) => unknown>;
    for (const name of ['run', 'get', 'all', 'iterate']) {
      const original = statement[name]!;
      statement[name] = function (this: unknown, ...args: unknown[]) {
        executions.set(sql, (executions.get(sql) ?? 0) + 1);
        return original.apply(this, args);
      };
    }
    return statement;
  };
}

const { work, roster, kiosk, db, dispatch, floor } = openProbeKiosk('scan-probe', guests);
const floorDb = floor.db;
const floorOnce = floor.once;
if (process.env['PROBE_SYNC'] !== undefined) {
  // Diagnosis only: both databases without (or with a cheaper) fsync, to see what is not the disk.
  db.pragma(`synchronous = ${process.env['PROBE_SYNC']}`);
  floorDb.pragma(`synchronous = ${process.env['PROBE_SYNC']}`);
}
const scanOnce = (code: string) => {
  const result = dispatch('guests.scan', { code });
  if (!result.ok) throw new Error(result.error.message);
  return result.value as { status: string };
};

const random = seededRandom(99);
const order = roster.map((g) => g.codes[0]!);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [order[i], order[j]] = [order[j]!, order[i]!];
}
let next = 0;
const take = () => order[next++]!;
for (let i = 0; i < 50; i++) floorOnce(take());

/** Garbage collections during the timed rounds: when, how long, and which samples they fell into. */
const pauses: Array<{ start: number; end: number; kind: number }> = [];
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    pauses.push({
      start: e.startTime,
      end: e.startTime + e.duration,
      kind: (e as PerformanceEntry & { detail: { kind: number } }).detail.kind,
    });
});
observer.observe({ entryTypes: ['gc'] });
const overlapsPause = (s: { start: number; end: number }) => pauses.some((p) => p.start < s.end && p.end > s.start);

console.log(
  `guests ${guests}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const ratios: number[] = [];
for (let r = 0; r < Number(process.env['PROBE_ROUNDS'] ?? ROUNDS); r++) {
  const scan: number[] = [];
  const floor: number[] = [];
  const scanSpans: Array<{ start: number; end: number; ms: number }> = [];
  const floorSpans: Array<{ start: number; end: number; ms: number }> = [];
  const cpu = { scan: 0, floor: 0 };
  for (let i = 0; i < PER_ROUND; i++) {
    const code = take();
    let c = process.threadCpuUsage();
    let t = performance.now();
    floorOnce(code);
    let end = performance.now();
    let d = process.threadCpuUsage(c);
    cpu.floor += d.user + d.system;
    floor.push(end - t);
    floorSpans.push({ start: t, end, ms: end - t });
    c = process.threadCpuUsage();
    t = performance.now();
    scanOnce(code);
    end = performance.now();
    d = process.threadCpuUsage(c);
    cpu.scan += d.user + d.system;
    scan.push(end - t);
    scanSpans.push({ start: t, end, ms: end - t });
  }
  // With PROBE_SYNC the loop never yields: the roster-code indexer's first tick (a timer) would put
  // synchronous=FULL back (withoutSync), and the rounds after it would measure FULL again.
  // The gc observer's entries arrive after a turn of the loop.
  if (process.env['PROBE_SYNC'] === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
  const top = (spans: typeof scanSpans) => [...spans].sort((a, b) => b.ms - a.ms).slice(0, 5);
  const inRound = pauses.filter((p) => p.start >= floorSpans[0]!.start && p.end <= scanSpans.at(-1)!.end);
  console.log(
    `  gc in round: ${inRound.length} (${round3(inRound.reduce((n, p) => n + p.end - p.start, 0))} ms, kinds ` +
      `${[...new Set(inRound.map((p) => p.kind))].join(',')}); top-5 scans hit by gc ${top(scanSpans).filter(overlapsPause).length}, ` +
      `top-5 floors ${top(floorSpans).filter(overlapsPause).length}; top-5 scans ${top(scanSpans)
        .map((s) => round3(s.ms))
        .join(' ')}; ` +
      `CPU of this thread per scan ${round3(cpu.scan / PER_ROUND / 1000)} ms, per floor ${round3(cpu.floor / PER_ROUND / 1000)} ms`,
  );
  const ratio = percentile(scan, 99) / percentile(floor, 99);
  ratios.push(ratio);
  console.log(
    `round ${r + 1}: scan p50 ${round3(percentile(scan, 50))} p99 ${round3(percentile(scan, 99))} ms · ` +
      `floor p50 ${round3(percentile(floor, 50))} p99 ${round3(percentile(floor, 99))} ms · ratio ${round3(ratio)}`,
  );
}
ratios.sort((a, b) => a - b);
if (ratios.length > 0)
  console.log(
    `median ratio ${round3(ratios[Math.floor(ratios.length / 2)]!)} · load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );

/** WAL pages of the admitted scans by B-tree and page kind (only with --count). */
const btreePages = new Map<string, number>();
/** The B-tree (and leaf/internal) of each page in `db`'s WAL: what one commit wrote, right after walFramesOf. */
function btreesOfWal(db: BetterSqlite3.Database): string[] {
  const wal = fs.readFileSync(`${db.name}-wal`);
  if (wal.length < 32) return [];
  const pageSize = wal.readUInt32BE(8);
  const pages: number[] = [];
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) pages.push(wal.readUInt32BE(at));
  const names = new Map(
    (
      db.prepare(`SELECT pageno, name, pagetype FROM dbstat WHERE pageno IN (${pages.join(',')})`).all() as Array<{
        pageno: number;
        name: string;
        pagetype: string;
      }>
    ).map((r) => [r.pageno, `${r.name} (${r.pagetype})`]),
  );
  // Page 1 holds the file's header (rewritten whenever the file grows) and sqlite_schema's root.
  return pages.map((p) => names.get(p) ?? `page ${p} (free)`);
}
const scanFrames = new Map<number, number>();
let floorFrames = 0;
for (let i = 0; i < FRAME_SAMPLES; i++) {
  const code = take();
  floorFrames += walFramesOf(floorDb, () => floorOnce(code)) || 0;
  let status = '';
  const frames = walFramesOf(db, () => (status = scanOnce(code).status));
  if (status === 'checked_in' && !Number.isNaN(frames)) {
    scanFrames.set(frames, (scanFrames.get(frames) ?? 0) + 1);
    if (count) for (const btree of btreesOfWal(db)) btreePages.set(btree, (btreePages.get(btree) ?? 0) + 1);
  }
}
const admitted = [...scanFrames.values()].reduce((a, b) => a + b, 0);
const meanFrames = [...scanFrames].reduce((n, [frames, scans]) => n + frames * scans, 0) / admitted;
const frameList = [...scanFrames].flatMap(([frames, scans]) => Array<number>(scans).fill(frames));
console.log(
  `WAL frames per commit: floor ${floorFrames / FRAME_SAMPLES}; scan mean ${round3(meanFrames)}, ` +
    `p50 ${percentile(frameList, 50)}, p90 ${percentile(frameList, 90)}, p99 ${percentile(frameList, 99)} ` +
    `(frames: scans ${JSON.stringify(Object.fromEntries(scanFrames))})`,
);

if (count) {
  console.log(`WAL pages per admitted scan, by B-tree:`);
  for (const [btree, pages] of [...btreePages].sort((a, b) => b[1] - a[1]))
    console.log(`  ${(pages / admitted).toFixed(2)}  ${btree}`);
  executions.clear();
  let countedAdmitted = 0;
  for (let i = 0; i < 100; i++) if (scanOnce(take()).status === 'checked_in') countedAdmitted++;
  console.log(`statements per scan (${countedAdmitted}/100 admitted):`);
  for (const [sql, n] of [...executions].sort((a, b) => b[1] - a[1]))
    console.log(`  ${(n / 100).toFixed(2)}  ${sql.replace(/\s+/g, ' ').slice(0, 140)}`);
}

if (profile) {
  const t = time(() => {
    for (let i = 0; i < 20_000 && next < order.length; i++) scanOnce(take());
  });
  console.log(`profile: 20,000 scans in ${round3(t)} ms`);
}

kiosk.close();
floorDb.close();
fs.rmSync(work, { recursive: true, force: true });
