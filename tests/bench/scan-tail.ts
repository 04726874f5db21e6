/**
 * Where the slowest scans lose their time: `node tests/bench/scan-tail.ts [guests] [--hold-checkpoints]`.
 * On a kiosk loaded like core-bench.ts's, floor and scan interleaved as there, every sample records its
 * phases — time inside SQLite statements (COMMIT apart: it writes and syncs the WAL), the rest (JS) — and
 * what the process did meanwhile (page faults, blocks read and written, voluntary and involuntary
 * context switches, garbage collections). It prints those per sample for all samples and for the slowest
 * 1%, scan and floor apart: a count of what the tail is made of, not a guess. `--hold-checkpoints` keeps
 * the kiosk's checkpoint worker from copying anything meanwhile (another connection holds a read snapshot
 * from before the samples, so a PASSIVE checkpoint has nothing it may copy): the tail with and without them.
 */
import fs from 'node:fs';
import os from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { seededRandom } from '../../electron/core/demo/generate.ts';
import { openProbeKiosk } from './probe-kiosk.ts';
import { round3 } from './stats.ts';

const guests = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 50_000);
const SAMPLES = Number(process.env['TAIL_SAMPLES'] ?? 2_500);

interface Sample {
  ms: number;
  commitMs: number;
  sqlMs: number;
  statements: number;
  minflt: number;
  majflt: number;
  fsRead: number;
  fsWrite: number;
  voluntary: number;
  involuntary: number;
  gcMs: number;
}

/** Time inside every statement (the native Statement class: the transactions' BEGIN and COMMIT too). */
let current = { commitMs: 0, sqlMs: 0, statements: 0 };
{
  const probe = new BetterSqlite3(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, unknown>;
  probe.close();
  for (const name of ['run', 'get', 'all']) {
    const original = statementProto[name] as (...args: unknown[]) => unknown;
    statementProto[name] = function (this: { source: string }, ...args: unknown[]) {
      const t = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const ms = performance.now() - t;
        if (this.source === 'COMMIT') current.commitMs += ms;
        else current.sqlMs += ms;
        current.statements++;
      }
    };
  }
}

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });

const { work, roster, kiosk, db, dispatch, floor } = openProbeKiosk('scan-tail', guests);
const random = seededRandom(99);
const order = roster.map((g) => g.codes[0]!);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [order[i], order[j]] = [order[j]!, order[i]!];
}
for (let i = 0; i < 50; i++) floor.once(order[i]!);
db.pragma('wal_checkpoint(TRUNCATE)');
const holder = process.argv.includes('--hold-checkpoints') ? new BetterSqlite3(db.name, { readonly: true }) : null;
if (holder !== null) {
  holder.prepare('BEGIN').run();
  holder.prepare('SELECT count(*) FROM meta').get();
}

function sample(run: () => void): Sample {
  current = { commitMs: 0, sqlMs: 0, statements: 0 };
  const gcBefore = gcMs;
  const before = process.resourceUsage();
  const t = performance.now();
  run();
  const ms = performance.now() - t;
  const after = process.resourceUsage();
  return {
    ms,
    ...current,
    minflt: after.minorPageFault - before.minorPageFault,
    majflt: after.majorPageFault - before.majorPageFault,
    fsRead: after.fsRead - before.fsRead,
    fsWrite: after.fsWrite - before.fsWrite,
    voluntary: after.voluntaryContextSwitches - before.voluntaryContextSwitches,
    involuntary: after.involuntaryContextSwitches - before.involuntaryContextSwitches,
    gcMs: gcMs - gcBefore, // entries arrive after a turn of the loop: filled in below
  };
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(
  `guests ${guests}, samples ${SAMPLES}, checkpoints ${holder === null ? 'on' : 'held'}, load average ${load()}`,
);
const scans: Sample[] = [];
const floors: Sample[] = [];
const spans: Array<{ start: number; end: number; of: Sample }> = [];
const gcs: Array<{ start: number; end: number }> = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push({ start: e.startTime, end: e.startTime + e.duration });
}).observe({ entryTypes: ['gc'] });
for (let i = 50; i < 50 + SAMPLES; i++) {
  const code = order[i]!;
  let start = performance.now();
  floors.push(sample(() => floor.once(code)));
  spans.push({ start, end: performance.now(), of: floors.at(-1)! });
  start = performance.now();
  scans.push(
    sample(() => {
      const result = dispatch('guests.scan', { code });
      if (!result.ok) throw new Error(result.error.message);
    }),
  );
  spans.push({ start, end: performance.now(), of: scans.at(-1)! });
}
await new Promise((resolve) => setTimeout(resolve, 50));
for (const s of spans)
  s.of.gcMs = gcs.reduce((n, g) => n + Math.max(0, Math.min(g.end, s.end) - Math.max(g.start, s.start)), 0);

function describe(name: string, samples: Sample[]): void {
  const sorted = [...samples].sort((a, b) => a.ms - b.ms);
  const slowest = sorted.slice(Math.floor(sorted.length * 0.99));
  const middle = sorted.slice(Math.floor(sorted.length * 0.45), Math.floor(sorted.length * 0.55));
  const mean = (of: Sample[], key: keyof Sample) => round3(of.reduce((n, s) => n + s[key], 0) / of.length);
  const keys: Array<keyof Sample> = [
    'ms',
    'commitMs',
    'sqlMs',
    'statements',
    'gcMs',
    'minflt',
    'majflt',
    'fsRead',
    'fsWrite',
    'voluntary',
    'involuntary',
  ];
  console.log(`${name}: p50 ${round3(sorted[Math.floor(sorted.length / 2)]!.ms)} ms, p99 ${round3(slowest[0]!.ms)} ms`);
  for (const [label, of] of [
    ['  p45–p55', middle],
    ['  slowest 1%', slowest],
  ] as const)
    console.log(`${label.padEnd(12)} ${keys.map((k) => `${k} ${mean(of, k)}`).join(' · ')}`);
}
describe('floor', floors);
describe('scan', scans);
console.log(`load average ${load()}`);
holder?.prepare('COMMIT').run();
holder?.close();
kiosk.close();
floor.db.close();
fs.rmSync(work, { recursive: true, force: true });
