/**
 * The roster bench's input files (roster-bench.ts): generated guests, seeded, as a CSV with a BOM and as
 * a workbook, in the columns an organiser's export has.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { generateRoster } from '../../electron/core/demo/generate.ts';
import { csvLine } from '../../shared/roster/csv.ts';

export const ROSTER_HEADER = ['Name', 'Pinyin', 'Company', 'Email', 'Ticket', 'Forum', 'Type'];

/** A roster file's rows under ROSTER_HEADER: `rows` generated guests (seeded: the same guests every run). */
export function rosterCells(rows: number, seed: number): string[][] {
  return generateRoster(rows, seed).map((g) => [
    g.displayName,
    g.latinName,
    g.organization,
    g.email,
    g.codes[0]!,
    g.forumPreferences[0] ?? '',
    g.role,
  ]);
}

export const rosterCsv = (cells: string[][]): string =>
  `\uFEFF${csvLine(ROSTER_HEADER)}${cells.map((c) => csvLine(c)).join('')}`;

/** The CSV and XLSX files of `rows` generated guests, written to `dir`. */
export async function writeInputFiles(rows: number, dir: string): Promise<{ csv: string; xlsx: string }> {
  const cells = rosterCells(rows, 11);
  const header = ROSTER_HEADER;
  const csv = path.join(dir, 'big.csv');
  fs.writeFileSync(csv, rosterCsv(cells));
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Guests');
  ws.addRow(header);
  for (const c of cells) ws.addRow(c);
  const xlsx = path.join(dir, 'big.xlsx');
  fs.writeFileSync(xlsx, new Uint8Array(await wb.xlsx.writeBuffer()));
  return { csv, xlsx };
}
