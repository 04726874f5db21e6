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

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * The same rows with names that are mostly different from each other, as a real list's are: the
 * generator draws names from small pools (100,000 rows hold ~1,550 different names), so each name here
 * gets one more given name (a Latin name) or character (a CJK name) from another row — ~54,000
 * different names and ~20,000 different words. Every new name is a new search term with its keys and
 * typo variants: the import's heavy case, which the pooled names never reach.
 */
export function withDistinctNames(cells: readonly string[][]): string[][] {
  const other = (i: number): string[] => cells[(i * 7919 + 13) % cells.length]!;
  return cells.map((row, i) => {
    const [name, latin, ...rest] = row as [string, string, ...string[]];
    const [otherName, otherLatin] = other(i) as [string, string];
    const distinct = CJK.test(name)
      ? `${name}${CJK.test(otherName) ? otherName.slice(-1) : '子'}`
      : `${otherName.split(' ')[0]} ${name}`;
    const distinctLatin = latin !== '' && otherLatin !== '' ? `${otherLatin.split(' ')[0]} ${latin}` : latin;
    return [distinct, distinctLatin, ...rest];
  });
}

/** The CSV and XLSX files of `rows` generated guests, and the CSV with distinct names, written to `dir`. */
export async function writeInputFiles(
  rows: number,
  dir: string,
): Promise<{ csv: string; xlsx: string; distinctCsv: string }> {
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
  const distinctCsv = path.join(dir, 'distinct.csv');
  fs.writeFileSync(distinctCsv, rosterCsv(withDistinctNames(cells)));
  return { csv, xlsx, distinctCsv };
}
