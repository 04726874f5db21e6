import { CsvError, detectDelimiter, parseCsvInSteps, type Delimiter } from '../../../shared/roster/csv.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { MAX_FILE_BYTES } from '../../../shared/roster/limits.ts';
import { decodeTextInSlices, type TextEncoding } from './decode.ts';
import { openWorkbook, unreadable } from './read-xlsx.ts';

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

/**
 * Where a streamed read sends its rows, a batch at a time as it reads them (read-worker.ts, read-rows.ts);
 * its table then keeps none, and a workbook's rows are padded to `width` by whoever receives them.
 */
export type RowSink = (rows: string[][]) => void;
export const ROWS_PER_BATCH = 2_000;

/** A read table, with its number of rows (sent to a sink or in `table.rows`) and its width. */
export interface ReadResult {
  table: Table;
  rowCount: number;
  width: number;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0]; // legacy .xls

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** Whether the bytes are a ZIP archive (an XLSX workbook, or a file pretending to be one). */
export const isZip = (bytes: Uint8Array): boolean => startsWith(bytes, ZIP_MAGIC);

/** How long reading may hold the thread before it lets scans run (see roster/import-job.ts). */
const PARSE_BUDGET_MS = 2;

/** A reader's turns: each call says whether it has held the thread long enough, and then lets others run. */
function turns(): () => Promise<void> | null {
  let heldSince = performance.now();
  return () => {
    if (performance.now() - heldSince < PARSE_BUDGET_MS) return null;
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      heldSince = performance.now();
    });
  };
}

/**
 * The first worksheet with any rows (read-xlsx.ts), its cells trimmed, trailing empty cells and empty rows
 * left out. Yields to the event loop every PARSE_BUDGET_MS, which matters only where no worker could
 * read it (read-off-thread.ts): then this runs on the door's thread.
 */
async function readXlsx(bytes: Uint8Array, checkpoint: Checkpoint, sink: RowSink | null): Promise<ReadResult> {
  let headers: string[] | null = null;
  const rows: string[][] = []; // with a sink: the rows not sent yet
  let rowCount = 0;
  let width = 0;
  try {
    const turn = turns();
    for (const sheet of openWorkbook(bytes).sheets()) {
      for (const cells of sheet) {
        checkpoint(headers === null ? 0 : rowCount + 1);
        for (let c = 0; c < cells.length; c++) cells[c] = cells[c]!.trim();
        while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
        if (cells.length === 0) continue;
        width = Math.max(width, cells.length);
        if (headers === null) headers = cells;
        else {
          rows.push(cells);
          rowCount++;
          if (sink !== null && rows.length >= ROWS_PER_BATCH) sink(rows.splice(0));
        }
        const pause = turn();
        if (pause !== null) await pause;
      }
      if (headers !== null) break; // the first worksheet with rows
    }
  } catch (error) {
    if (error instanceof LanyardFailure) throw error;
    throw unreadable((error as Error).message);
  }
  if (headers === null) throw new LanyardFailure('file_empty', 'the workbook has no rows');
  // Every row as wide as the widest, as a spreadsheet shows it (rows already sent: padWorkbookRows).
  padWorkbookRows([headers], width);
  if (sink === null) padWorkbookRows(rows, width);
  else if (rows.length > 0) sink(rows.splice(0));
  return { table: { format: 'xlsx', encoding: 'xlsx', delimiter: '', headers, rows }, rowCount, width };
}

/** Pads a workbook's rows to its widest row, as a spreadsheet shows them. */
export function padWorkbookRows(rows: string[][], width: number): void {
  for (const cells of rows) while (cells.length < width) cells.push('');
}

export const READ_DEADLINE_MS = 3 * 60_000;

/**
 * A workbook read that stops at its deadline — it does not merely stop being waited for (a parse left
 * running went on burning a core after its job had failed): every row checks the clock.
 */
function readXlsxWithin(
  bytes: Uint8Array,
  checkpoint: Checkpoint,
  deadlineMs: number,
  sink: RowSink | null,
): Promise<ReadResult> {
  const started = Date.now();
  const timed: Checkpoint = (n) => {
    if (Date.now() - started > deadlineMs)
      throw new LanyardFailure('timeout', `reading the workbook took longer than ${Math.round(deadlineMs / 1000)} s`);
    checkpoint(n);
  };
  return readXlsx(bytes, timed, sink);
}

async function readCsv(bytes: Uint8Array, checkpoint: Checkpoint, sink: RowSink | null): Promise<ReadResult> {
  const { pieces, encoding } = await decodeTextInSlices(bytes, turns());
  // The header line is in the first piece (128 KiB of text), unless it is longer than that.
  const delimiter = detectDelimiter(pieces[0] ?? '');
  let headers: string[] | null = null;
  let rowCount = 0;
  // With a sink the rows leave as they are parsed: the first is the header row, the rest are guests.
  const take =
    sink === null
      ? null
      : (rows: string[][]) => {
          if (headers === null) headers = rows.shift() ?? null;
          rowCount += rows.length;
          if (rows.length > 0) sink(rows);
        };
  let all: string[][];
  try {
    const steps = parseCsvInSteps(pieces, delimiter, checkpoint, take);
    const turn = turns();
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done === true) {
        all = step.value;
        break;
      }
      const pause = turn();
      if (pause !== null) await pause;
    }
  } catch (error) {
    if (error instanceof CsvError) throw new LanyardFailure('file_unreadable', `CSV error: ${error.message}`);
    throw error;
  }
  if (take === null) {
    headers = all.shift() ?? null;
    rowCount = all.length;
  }
  const table: Table = {
    format: 'csv',
    encoding,
    delimiter,
    headers: ((headers as string[] | null) ?? []).map((h) => h.trim()),
    rows: all,
  };
  return { table, rowCount, width: 0 };
}

/** Any roster file → a table of strings: first row headers. Size, row and time capped. */
export async function readTable(
  fileName: string,
  bytes: Uint8Array,
  checkpoint: Checkpoint,
  deadlineMs = READ_DEADLINE_MS,
): Promise<Table> {
  return (await readTableTo(fileName, bytes, checkpoint, deadlineMs, null)).table;
}

/** readTable, with the rows sent to `sink` as they are read (the table then keeps none). */
export async function readTableTo(
  fileName: string,
  bytes: Uint8Array,
  checkpoint: Checkpoint,
  deadlineMs: number,
  sink: RowSink | null,
): Promise<ReadResult> {
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
  const read = isZip(bytes)
    ? await readXlsxWithin(bytes, capped, deadlineMs, sink)
    : await readCsv(bytes, capped, sink);
  const { headers } = read.table;
  if (headers.length === 0 || headers.every((h) => h === ''))
    throw new LanyardFailure('file_empty', `${fileName} has no header row`);
  if (read.rowCount === 0) throw new LanyardFailure('file_empty', `${fileName} has a header row but no guests`);
  return read;
}
