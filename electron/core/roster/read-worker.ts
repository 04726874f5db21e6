import { parentPort, workerData } from 'node:worker_threads';
import { LanyardFailure } from '../../../shared/result.ts';
import { lowerThisWorkerPriority } from '../thread-priority.ts';
import { packBatch } from './read-rows.ts';
import { readTableTo, type Table } from './read-table.ts';

/**
 * The worker side of reading a workbook off the door's thread (read-off-thread.ts): the unzip checks
 * and ExcelJS's XML stream run here. Rows are packed (read-rows.ts) and sent in batches as they are
 * read, their bytes transferred, not copied, so neither thread holds them as strings: this one keeps
 * only the batch it is filling. The last message says how wide the table is (the receiver pads the rows
 * when it unpacks them) and repeats nothing else.
 */
export interface ReadWorkerData {
  fileName: string;
  bytes: Uint8Array;
  deadlineMs: number;
}

export type ReadReply =
  | { kind: 'progress'; rows: number }
  | { kind: 'rows'; packs: Uint8Array[]; count: number }
  | { kind: 'end'; table: Omit<Table, 'rows'>; width: number }
  | { kind: 'failed'; code: string; message: string };

async function run(port: NonNullable<typeof parentPort>, data: ReadWorkerData): Promise<void> {
  const post = (reply: ReadReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);
  lowerThisWorkerPriority('read'); // the door's thread first (thread-priority.ts)
  try {
    const { table, width } = await readTableTo(
      data.fileName,
      data.bytes,
      (rows) => post({ kind: 'progress', rows }),
      data.deadlineMs,
      (rows) => {
        const packs = packBatch(rows);
        post(
          { kind: 'rows', packs, count: rows.length },
          packs.map((p) => p.buffer as ArrayBuffer),
        );
      },
    );
    const { rows: _none, ...rest } = table; // the rows went to the sink
    post({ kind: 'end', table: rest, width });
  } catch (error) {
    const failure =
      error instanceof LanyardFailure ? error : new LanyardFailure('internal', `reading failed: ${String(error)}`);
    post({ kind: 'failed', code: failure.code, message: failure.message });
  }
  port.close();
}

if (parentPort !== null && workerData !== null) void run(parentPort, workerData as ReadWorkerData);
