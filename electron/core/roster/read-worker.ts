import { parentPort, workerData } from 'node:worker_threads';
import { LanyardFailure } from '../../../shared/result.ts';
import { readTableTo, type Table } from './read-table.ts';

/**
 * The worker side of reading a workbook off the door's thread (read-off-thread.ts): the unzip checks
 * and ExcelJS's XML stream run here. Rows are sent in batches as they are read, so neither thread
 * holds them twice: this one keeps only the batch it is filling. The last message says how wide the
 * table is (the receiver pads the rows) and repeats nothing else.
 */
export interface ReadWorkerData {
  fileName: string;
  bytes: Uint8Array;
  deadlineMs: number;
}

export type ReadReply =
  | { kind: 'progress'; rows: number }
  | { kind: 'rows'; rows: string[][] }
  | { kind: 'end'; table: Table; width: number }
  | { kind: 'failed'; code: string; message: string };

async function run(port: NonNullable<typeof parentPort>, data: ReadWorkerData): Promise<void> {
  const post = (reply: ReadReply) => port.postMessage(reply);
  try {
    const { table, width } = await readTableTo(
      data.fileName,
      data.bytes,
      (rows) => post({ kind: 'progress', rows }),
      data.deadlineMs,
      (rows) => post({ kind: 'rows', rows }),
    );
    post({ kind: 'end', table, width }); // a CSV's rows come here, in the table (it is read there, not here)
  } catch (error) {
    const failure =
      error instanceof LanyardFailure ? error : new LanyardFailure('internal', `reading failed: ${String(error)}`);
    post({ kind: 'failed', code: failure.code, message: failure.message });
  }
  port.close();
}

if (parentPort !== null && workerData !== null) void run(parentPort, workerData as ReadWorkerData);
