import ExcelJS from 'exceljs';
import { CsvError, detectDelimiter, parseCsv, type Delimiter } from '../../../shared/roster/csv.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { decodeText, type TextEncoding } from './decode.ts';

export const MAX_FILE_BYTES = 32 * 1024 * 1024;
export const MAX_ROWS = 300_000;

export interface Table {
  format: 'csv' | 'xlsx';
  encoding: TextEncoding | 'xlsx';
  delimiter: Delimiter | '';
  headers: string[];
  rows: string[][];
}

/** Checked between rows: throws `cancelled` or `timeout` so a long parse stops cleanly. */
export type Checkpoint = (rowsSoFar: number) => void;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0]; // legacy .xls

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().replace(/T00:00:00\.000Z$/, '');
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text; // hyperlink
    if ('result' in value) return cellText((value.result ?? '') as ExcelJS.CellValue); // formula: its value, never the formula
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

async function readXlsx(bytes: Uint8Array, checkpoint: Checkpoint): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (error) {
    throw new LanyardFailure('file_unreadable', `not a readable XLSX workbook: ${(error as Error).message}`);
  }
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (sheet === undefined) throw new LanyardFailure('file_empty', 'the workbook has no rows');
  const all: string[][] = [];
  // actualColumnCount walks the whole sheet on every access: read it once, not once per cell.
  const columns = sheet.actualColumnCount;
  sheet.eachRow({ includeEmpty: false }, (row) => {
    checkpoint(all.length);
    const cells: string[] = [];
    for (let c = 1; c <= columns; c++) cells.push(cellText(row.getCell(c).value).trim());
    if (cells.some((c) => c.length > 0)) all.push(cells);
  });
  const [headers, ...rows] = all;
  return { format: 'xlsx', encoding: 'xlsx', delimiter: '', headers: headers ?? [], rows };
}

function readCsv(bytes: Uint8Array, checkpoint: Checkpoint): Table {
  const { text, encoding } = decodeText(bytes);
  const delimiter = detectDelimiter(text);
  let all: string[][];
  try {
    all = parseCsv(text, delimiter, checkpoint);
  } catch (error) {
    if (error instanceof CsvError) throw new LanyardFailure('file_unreadable', `CSV error: ${error.message}`);
    throw error;
  }
  const [headers, ...rows] = all;
  return { format: 'csv', encoding, delimiter, headers: (headers ?? []).map((h) => h.trim()), rows };
}

/** Any roster file → a table of strings: first row headers. Size, row and time capped. */
export async function readTable(fileName: string, bytes: Uint8Array, checkpoint: Checkpoint): Promise<Table> {
  if (bytes.byteLength === 0) throw new LanyardFailure('file_empty', `${fileName} is empty`);
  if (bytes.byteLength > MAX_FILE_BYTES) {
    throw new LanyardFailure(
      'file_too_large',
      `${fileName} is ${Math.round(bytes.byteLength / 1048576)} MB; the limit is ${MAX_FILE_BYTES / 1048576} MB`,
    );
  }
  const capped: Checkpoint = (n) => {
    if (n >= MAX_ROWS) throw new LanyardFailure('file_too_large', `more than ${MAX_ROWS} rows`);
    if (n % 2000 === 0) checkpoint(n);
  };
  if (startsWith(bytes, OLE_MAGIC)) {
    throw new LanyardFailure('file_unreadable', `${fileName} is an old Excel .xls file: save it as .xlsx or CSV`);
  }
  const table = startsWith(bytes, ZIP_MAGIC) ? await readXlsx(bytes, capped) : readCsv(bytes, capped);
  if (table.headers.length === 0 || table.headers.every((h) => h === ''))
    throw new LanyardFailure('file_empty', `${fileName} has no header row`);
  if (table.rows.length === 0) throw new LanyardFailure('file_empty', `${fileName} has a header row but no guests`);
  return table;
}
