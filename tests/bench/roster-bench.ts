/**
 * Roster import/export at 100,000 guests (part of `npm run bench`). Targets: import CSV ≤ 3 s, XLSX ≤ 10 s;
 * export CSV ≤ 3 s, XLSX ≤ 10 s; peak RSS while importing and exporting reported (and the RSS before, with
 * the input files in memory).
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import ExcelJS from 'exceljs';
import { generateRoster } from '../../electron/core/demo/generate.ts';
import { csvLine } from '../../shared/roster/csv.ts';
import { openRosterKiosk } from '../support/roster-kiosk.ts';

export interface RosterBench {
  rows: number;
  /** Resident memory once the input files are built, before the first import. */
  rssBeforeMB: number;
  importCsvMs: number;
  importXlsxMs: number;
  exportCsvMs: number;
  exportXlsxMs: number;
  csvMB: number;
  xlsxMB: number;
  peakRssMB: number;
}

/** The CSV and XLSX files of `rows` generated guests; the workbook model is garbage once this returns. */
async function inputFiles(rows: number): Promise<{ csv: Buffer; xlsx: Uint8Array }> {
  const roster = generateRoster(rows, 11);
  const header = ['Name', 'Pinyin', 'Company', 'Email', 'Ticket', 'Forum', 'Type'];
  const cells = roster.map((g) => [
    g.displayName,
    g.latinName,
    g.organization,
    g.email,
    g.codes[0]!,
    g.forumPreferences[0] ?? '',
    g.role,
  ]);
  const csv = Buffer.from(`\uFEFF${csvLine(header)}${cells.map((c) => csvLine(c)).join('')}`);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Guests');
  ws.addRow(header);
  for (const c of cells) ws.addRow(c);
  const xlsx = new Uint8Array(await wb.xlsx.writeBuffer());
  return { csv, xlsx };
}

/** The garbage collector, when the process was started without --expose-gc (V8 allows this at run time). */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

export async function runRosterBench(rows: number): Promise<RosterBench> {
  const { csv, xlsx } = await inputFiles(rows);
  collectGarbage();
  const rssBefore = process.memoryUsage().rss;
  // Peak resident memory while importing and exporting (the input files are built before).
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);

  const timed = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
    const t = performance.now();
    const value = await fn();
    return [performance.now() - t, value];
  };
  const csvKiosk = openRosterKiosk(false);
  const [importCsvMs, csvResult] = await timed(() =>
    csvKiosk.importFile('big.csv', csv, { preset: '', dryRun: false, mapping: null }),
  );
  if (!csvResult.summary.applied)
    throw new Error(`CSV import not applied: ${JSON.stringify(csvResult.summary.errors.slice(0, 3))}`);
  const [exportCsvMs] = await timed(() => csvKiosk.exportFile('csv', ''));
  const [exportXlsxMs] = await timed(() => csvKiosk.exportFile('xlsx', ''));
  csvKiosk.close();
  const xlsxKiosk = openRosterKiosk(false);
  const [importXlsxMs, xlsxResult] = await timed(() =>
    xlsxKiosk.importFile('big.xlsx', xlsx, { preset: '', dryRun: false, mapping: null }),
  );
  if (!xlsxResult.summary.applied) throw new Error('XLSX import not applied');
  xlsxKiosk.close();
  clearInterval(sampler);
  const r = (n: number) => Math.round(n);
  return {
    rows,
    rssBeforeMB: r(rssBefore / 1048576),
    importCsvMs: r(importCsvMs),
    importXlsxMs: r(importXlsxMs),
    exportCsvMs: r(exportCsvMs),
    exportXlsxMs: r(exportXlsxMs),
    csvMB: Math.round((csv.byteLength / 1048576) * 10) / 10,
    xlsxMB: Math.round((xlsx.byteLength / 1048576) * 10) / 10,
    peakRssMB: r(peak / 1048576),
  };
}

if (import.meta.main) {
  console.log(JSON.stringify(await runRosterBench(Number(process.env['BENCH_ROWS'] ?? 100_000)), null, 2));
}
