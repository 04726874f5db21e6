/**
 * A kiosk core in a process of its own, as at the door after a restart (part of `npm run bench`):
 *   cold start: the core opened on the bench's database → first scan answered (target ≤ 1 s), and the
 *     same from the process's start (module loading included);
 *   memory: resident set after 1,000 scans and 1,000 searches (target ≤ 250 MB at 250,000 guests).
 * The parent runs it once per round: `node kiosk-process-bench.ts <kiosk dir> <codes.json>`, one JSON line out.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk } from '../../electron/core/kiosk.ts';
import { testSecrets } from '../support/secrets.ts';
import { SEARCH_QUERIES } from './search-queries.ts';
import { figure, type Figure } from './stats.ts';

export interface KioskProcessRound {
  openToFirstScanMs: number;
  processStartToFirstScanMs: number;
  rssMb: number;
  heapUsedMb: number;
}

export interface KioskProcessBench {
  openToFirstScanMs: Figure;
  processStartToFirstScanMs: Figure;
  rssMb: Figure;
  heapUsedMb: Figure;
  scans: number;
  searches: number;
}

const OPERATIONS = 1_000;

function measure(kioskDir: string, codes: readonly string[]): KioskProcessRound {
  const opened = performance.now();
  const kiosk = createKiosk({ dataDir: kioskDir, now: Date.now, secrets: testSecrets });
  const dispatch = createDispatcher(kiosk.handlers);
  const scan = (code: string) => {
    const result = dispatch('guests.scan', { code });
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  };
  scan(codes[0]!);
  const answered = performance.now();
  for (let i = 1; i < OPERATIONS; i++) scan(codes[i % codes.length]!);
  for (let i = 0; i < OPERATIONS; i++) {
    const result = dispatch('guests.search', { query: SEARCH_QUERIES[i % SEARCH_QUERIES.length]!, limit: 12 });
    if (!result.ok) throw new Error(result.error.message);
  }
  const memory = process.memoryUsage();
  kiosk.close();
  const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
  return {
    openToFirstScanMs: Math.round((answered - opened) * 10) / 10,
    // performance.now() counts from the process's start.
    processStartToFirstScanMs: Math.round(answered),
    rssMb: mb(memory.rss),
    heapUsedMb: mb(memory.heapUsed),
  };
}

/** Runs `rounds` fresh processes on the (closed) kiosk at `kioskDir`, each scanning its own `codes` slice. */
export function runKioskProcessBench(
  kioskDir: string,
  workDir: string,
  codesPerRound: readonly string[][],
): KioskProcessBench {
  const rounds = codesPerRound.map((codes, r) => {
    const codesFile = path.join(workDir, `cold-start-codes-${r}.json`);
    fs.writeFileSync(codesFile, JSON.stringify(codes));
    const run = spawnSync(process.execPath, [import.meta.filename, kioskDir, codesFile], {
      encoding: 'utf8',
      env: process.env,
    });
    if (run.status !== 0) throw new Error(`kiosk process bench failed (${run.status}): ${run.stderr}`);
    return JSON.parse(run.stdout) as KioskProcessRound;
  });
  const of = (k: keyof KioskProcessRound) => figure(rounds.map((r) => r[k]));
  return {
    openToFirstScanMs: of('openToFirstScanMs'),
    processStartToFirstScanMs: of('processStartToFirstScanMs'),
    rssMb: of('rssMb'),
    heapUsedMb: of('heapUsedMb'),
    scans: OPERATIONS,
    searches: OPERATIONS,
  };
}

if (import.meta.main) {
  const [kioskDir, codesFile] = process.argv.slice(2);
  const codes = JSON.parse(fs.readFileSync(codesFile!, 'utf8')) as string[];
  console.log(JSON.stringify(measure(kioskDir!, codes)));
  process.exit(0); // timers a kiosk leaves (indexer, sync) must not keep the round alive
}
