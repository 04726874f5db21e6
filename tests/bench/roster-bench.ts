/**
 * Roster import/export at 100,000 rows (part of `npm run bench`). Each round is a Node process of its own,
 * as on a kiosk importing its roster, so its memory is the import's and not the bench's:
 *   import CSV ≤ 3 s, XLSX ≤ 10 s; export CSV ≤ 3 s, XLSX ≤ 10 s (on an empty roster);
 *   peak RSS of the process during an import ≤ 600 MB (the kernel's high-water mark, so no peak slips
 *     between two samples);
 *   the door during an import: a scan arrives every 10 ms on a kiosk with the demo roster and a list of
 *     PRE_REGISTERED guests imported before, while the file uploads and imports; latency = arrival → answer
 *     (waiting for the event loop included), p99 ≤ 10 ms. Each measured scan is a guest's first check-in (a
 *     write, which waits for the import's writer between its chunks) until the codes run out; the round
 *     reports how many were (`firstCheckIns`). With the demo's 300 codes alone nearly every scan was a repeat
 *     (amber, no write), which flattered the figure.
 *     The door has scanned before (WARM_SCANS, untimed), as at an event: the first scans after opening
 *     the kiosk (code compiled, statements prepared: ~25 ms for the very first) are the cold-start figure's.
 * `node tests/bench/roster-bench.ts` runs it alone (BENCH_ROWS, default 100,000).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance as perfHooks } from 'node:perf_hooks';
import { writeGateOf } from '../../electron/core/db/write-gate.ts';
import type { ImportSummary, RosterPreview } from '../../shared/roster/contract-types.ts';
import { openRosterKiosk, waitJob } from '../support/roster-kiosk.ts';
import { rosterCells, rosterCsv, writeInputFiles } from './roster-files.ts';
import { startDoor, type DoorScans } from './import-door.ts';
import { figure, type Figure } from './stats.ts';

type RoundKind = 'csv' | 'xlsx' | 'scan-csv' | 'scan-xlsx';

interface RoundResult {
  importMs: number;
  /** Of importMs: the upload (reading the file into packed rows), the rest is checking, planning, writing. */
  readMs: number;
  /** CPU of the whole process (every thread) during the upload and import. */
  cpuMs: number;
  /** Time the door's thread (the event loop) was busy during them, scans included. */
  mainBusyMs: number;
  /** CPU of the door's thread alone during them (scans included): what the import costs the door. */
  mainCpuMs: number;
  rssBeforeMb: number;
  peakRssMb: number;
  exportCsvMs?: number;
  exportXlsxMs?: number;
  scans?: DoorScans;
}

/** Scans the door makes before the measured ones (codes from the end of the list, never scanned again). */
const WARM_SCANS = 200;
/** Guests on a list imported before the big file, so that the door's scans during its import check guests in. */
const PRE_REGISTERED = 3_000;

export interface RosterBench {
  rows: number;
  csvMB: number;
  xlsxMB: number;
  importCsvMs: Figure;
  importXlsxMs: Figure;
  /** The upload's share of the import times (reading the file), and CPU and door-thread time per import. */
  readCsvMs: Figure;
  readXlsxMs: Figure;
  cpuCsvMs: Figure;
  cpuXlsxMs: Figure;
  mainBusyCsvMs: Figure;
  mainBusyXlsxMs: Figure;
  mainCpuCsvMs: Figure;
  mainCpuXlsxMs: Figure;
  exportCsvMs: Figure;
  exportXlsxMs: Figure;
  rssBeforeMb: Figure;
  peakRssCsvMb: Figure;
  peakRssXlsxMb: Figure;
  scanDuringImport: {
    csvP99Ms: Figure;
    xlsxP99Ms: Figure;
    maxMs: Figure;
    dispatchP99Ms: Figure;
    /** The scans' wait for the event loop, and their p99 per phase of the import (reading, checking, writing). */
    waitP99Ms: Figure;
    p99ByPhaseMs: Record<string, Figure>;
    scans: number;
    /** The fewest first check-ins (writes) among the rounds' scans. */
    firstCheckIns: number;
  };
  /**
   * The same import and door with mostly different names (roster-files.ts withDistinctNames), as a real
   * list has: reported beside the targets, which are measured on the pooled names above.
   */
  distinctNames: {
    names: number;
    importCsvMs: Figure;
    peakRssMb: Figure;
    scanP99Ms: Figure;
    maxMs: Figure;
    dispatchP99Ms: Figure;
  };
}

const mb = (bytes: number) => Math.round(bytes / 1048576);
/** The process's resident high-water mark so far (the kernel keeps it; resourceUsage reports KiB). */
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** One round, in this process (the child). */
async function runRound(kind: RoundKind, file: string): Promise<RoundResult> {
  const scanning = kind.startsWith('scan-');
  const kiosk = openRosterKiosk(scanning);
  try {
    const bytes = new Uint8Array(fs.readFileSync(file));
    // Made by the screen in the renderer's process, before the upload reaches the door's (roster.upload).
    const base64 = Buffer.from(bytes).toString('base64');
    const rssBeforeMb = mb(process.memoryUsage().rss);
    if (scanning) {
      const pre = new TextEncoder().encode(rosterCsv(rosterCells(PRE_REGISTERED, 12)));
      const { summary } = await kiosk.importFile('pre-registered.csv', pre, {
        preset: '',
        dryRun: false,
        mapping: null,
      });
      if (!summary.applied) throw new Error(`pre-registered list not applied: ${JSON.stringify(summary.errors[0])}`);
    }
    const codes = scanning
      ? (kiosk.kiosk.db!.prepare(`SELECT code FROM guest_codes ORDER BY code`).pluck().all() as string[])
      : [];
    const scan = (code: string): boolean => {
      const result = kiosk.call('guests.scan', { code });
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      return (result.value as { status: string }).status === 'checked_in';
    };
    for (let i = 0; i < Math.min(WARM_SCANS, codes.length / 2); i++) scan(codes[codes.length - 1 - i]!);
    const door = scanning
      ? startDoor(codes.slice(0, codes.length - WARM_SCANS), scan, writeGateOf(kiosk.kiosk.db!)!)
      : null;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const mainCpuBefore = process.threadCpuUsage();
    const eluBefore = perfHooks.eventLoopUtilization();
    // The upload (the file read into packed rows) and the import (check, plan, write), timed apart.
    const uploaded = await kiosk.upload(path.basename(file), { base64 });
    if (uploaded.state !== 'done') throw new Error(`upload ${uploaded.state}: ${uploaded.error?.message}`);
    const readMs = performance.now() - started;
    const preview = uploaded.result as RosterPreview;
    const call = kiosk.call('roster.import', { uploadId: preview.uploadId, mapping: preview.mapping, dryRun: false });
    if (!call.ok) throw new Error(call.error.message);
    const done = await waitJob(kiosk.call, (call.value as { jobId: string }).jobId, (p) => {
      if (door !== null) door.phase = p;
    });
    if (done.state !== 'done') throw new Error(`import ${done.state}: ${done.error?.message}`);
    const summary = done.result as ImportSummary;
    const importMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const mainCpu = process.threadCpuUsage(mainCpuBefore);
    const mainBusyMs = perfHooks.eventLoopUtilization(eluBefore).active;
    const scans = await door?.stop();
    if (!summary.applied) throw new Error(`import not applied: ${JSON.stringify(summary.errors.slice(0, 3))}`);
    const result: RoundResult = {
      importMs: Math.round(importMs),
      readMs: Math.round(readMs),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      mainBusyMs: Math.round(mainBusyMs),
      mainCpuMs: Math.round((mainCpu.user + mainCpu.system) / 1000),
      rssBeforeMb,
      peakRssMb: peakRssMb(),
    };
    if (scans !== undefined) result.scans = scans;
    if (kind === 'csv') {
      let t = performance.now();
      await kiosk.exportFile('csv', '');
      result.exportCsvMs = Math.round(performance.now() - t);
      t = performance.now();
      await kiosk.exportFile('xlsx', '');
      result.exportXlsxMs = Math.round(performance.now() - t);
    }
    return result;
  } finally {
    kiosk.close();
  }
}

function roundInItsOwnProcess(kind: RoundKind, file: string): RoundResult {
  const run = spawnSync(process.execPath, [import.meta.filename, kind, file], { encoding: 'utf8', env: process.env });
  if (run.status !== 0) throw new Error(`roster bench round ${kind} failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as RoundResult;
}

/** Different names (the first column) in a roster CSV written by roster-files.ts. */
function distinctNameCount(csv: string): number {
  const lines = fs.readFileSync(csv, 'utf8').split('\n').slice(1);
  return new Set(lines.filter((l) => l !== '').map((l) => l.split(',')[0])).size;
}

export async function runRosterBench(rows: number, rounds: number): Promise<RosterBench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanyard-roster-bench-'));
  try {
    const files = await writeInputFiles(rows, dir);
    const run = (kind: RoundKind, file = kind.endsWith('xlsx') ? files.xlsx : files.csv) => {
      console.error(`roster: ${kind} at ${rows} rows (${path.basename(file)})…`);
      return Array.from({ length: rounds }, () => roundInItsOwnProcess(kind, file));
    };
    const csv = run('csv');
    const xlsx = run('xlsx');
    const scanCsv = run('scan-csv');
    const scanXlsx = run('scan-xlsx');
    const scans = [...scanCsv, ...scanXlsx].map((r) => r.scans!);
    const distinct = run('scan-csv', files.distinctCsv);
    return {
      rows,
      csvMB: Math.round((fs.statSync(files.csv).size / 1048576) * 10) / 10,
      xlsxMB: Math.round((fs.statSync(files.xlsx).size / 1048576) * 10) / 10,
      importCsvMs: figure(csv.map((r) => r.importMs)),
      importXlsxMs: figure(xlsx.map((r) => r.importMs)),
      readCsvMs: figure(csv.map((r) => r.readMs)),
      readXlsxMs: figure(xlsx.map((r) => r.readMs)),
      cpuCsvMs: figure(csv.map((r) => r.cpuMs)),
      cpuXlsxMs: figure(xlsx.map((r) => r.cpuMs)),
      mainBusyCsvMs: figure(csv.map((r) => r.mainBusyMs)),
      mainBusyXlsxMs: figure(xlsx.map((r) => r.mainBusyMs)),
      mainCpuCsvMs: figure(csv.map((r) => r.mainCpuMs)),
      mainCpuXlsxMs: figure(xlsx.map((r) => r.mainCpuMs)),
      exportCsvMs: figure(csv.map((r) => r.exportCsvMs!)),
      exportXlsxMs: figure(csv.map((r) => r.exportXlsxMs!)),
      rssBeforeMb: figure([...csv, ...xlsx].map((r) => r.rssBeforeMb)),
      peakRssCsvMb: figure(csv.map((r) => r.peakRssMb)),
      peakRssXlsxMb: figure(xlsx.map((r) => r.peakRssMb)),
      scanDuringImport: {
        csvP99Ms: figure(scanCsv.map((r) => r.scans!.p99)),
        xlsxP99Ms: figure(scanXlsx.map((r) => r.scans!.p99)),
        maxMs: figure(scans.map((s) => s.max)),
        dispatchP99Ms: figure(scans.map((s) => s.dispatchP99)),
        waitP99Ms: figure(scans.map((s) => s.waitP99)),
        p99ByPhaseMs: Object.fromEntries(
          [...new Set(scans.flatMap((s) => Object.keys(s.p99ByPhase)))].map((p) => [
            p,
            figure(scans.flatMap((s) => (s.p99ByPhase[p] === undefined ? [] : [s.p99ByPhase[p].p99]))),
          ]),
        ),
        scans: Math.min(...scans.map((s) => s.count)),
        firstCheckIns: Math.min(...scans.map((s) => s.firstCheckIns)),
      },
      distinctNames: {
        names: distinctNameCount(files.distinctCsv),
        importCsvMs: figure(distinct.map((r) => r.importMs)),
        peakRssMb: figure(distinct.map((r) => r.peakRssMb)),
        scanP99Ms: figure(distinct.map((r) => r.scans!.p99)),
        maxMs: figure(distinct.map((r) => r.scans!.max)),
        dispatchP99Ms: figure(distinct.map((r) => r.scans!.dispatchP99)),
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const [kind, file] = process.argv.slice(2);
  if (kind !== undefined) {
    console.log(JSON.stringify(await runRound(kind as RoundKind, file!)));
    process.exit(0);
  }
  const rows = Number(process.env['BENCH_ROWS'] ?? 100_000);
  console.log(JSON.stringify(await runRosterBench(rows, Number(process.env['BENCH_ROUNDS'] ?? 3)), null, 2));
}
