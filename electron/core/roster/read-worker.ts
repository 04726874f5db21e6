import { parentPort, workerData } from 'node:worker_threads';
import { LanyardFailure } from '../../../shared/result.ts';
import { readTable, type Table } from './read-table.ts';

/**
 * The worker side of reading a roster file off the door's thread (read-off-thread.ts): decoding, the
 * CSV parse, the XLSX unzip checks and the XML stream all run here. The rows go back a batch per
 * request, so the door's thread takes them in small turns (a port delivers every queued message in one
 * go: 100,000 rows posted at once were one long pause there).
 */
export interface ReadWorkerData {
  fileName: string;
  bytes: Uint8Array;
  deadlineMs: number;
}

export type ReadRequest = { kind: 'next' };

export type ReadReply =
  | { kind: 'progress'; rows: number }
  | { kind: 'head'; table: Omit<Table, 'rows'>; rowCount: number }
  | { kind: 'rows'; rows: string[][]; last: boolean }
  | { kind: 'failed'; code: string; message: string };

/** Rows per message: a few milliseconds to receive on the door's thread. */
export const ROWS_PER_MESSAGE = 1_000;

async function run(port: NonNullable<typeof parentPort>, data: ReadWorkerData): Promise<void> {
  const post = (reply: ReadReply) => port.postMessage(reply);
  let table: Table;
  try {
    table = await readTable(data.fileName, data.bytes, (rows) => post({ kind: 'progress', rows }), data.deadlineMs);
  } catch (error) {
    const failure =
      error instanceof LanyardFailure ? error : new LanyardFailure('internal', `reading failed: ${String(error)}`);
    post({ kind: 'failed', code: failure.code, message: failure.message });
    port.close();
    return;
  }
  const { rows, ...head } = table;
  post({ kind: 'head', table: head, rowCount: rows.length });
  let next = 0;
  port.on('message', (_request: ReadRequest) => {
    const batch = rows.slice(next, next + ROWS_PER_MESSAGE);
    rows.fill([], next, next + batch.length); // sent: let the worker's copy go
    next += batch.length;
    const last = next >= rows.length;
    post({ kind: 'rows', rows: batch, last });
    if (last) port.close();
  });
}

if (parentPort !== null && workerData !== null) void run(parentPort, workerData as ReadWorkerData);
