import { Worker } from 'node:worker_threads';
import { LanyardFailure, type ErrorCode } from '../../../shared/result.ts';
import { createLogger } from '../log.ts';
import type { ReadReply, ReadRequest, ReadWorkerData } from './read-worker.ts';
import { MAX_FILE_BYTES, READ_DEADLINE_MS, readTable, type Checkpoint, type Table } from './read-table.ts';

const log = createLogger('roster');
/** How often the job's checkpoint is asked while the worker works (cancel, time limit), in ms. */
const CHECK_EVERY_MS = 200;

/**
 * readTable in a worker thread (read-worker.ts), so a 100,000-row file's decoding, parsing and unzipping
 * never holds the door's thread: scans are answered meanwhile. The rows come back in batches, each taken
 * in its own turn. `checkpoint` is asked on every batch and every 200 ms; when it throws (cancelled,
 * time limit, too many rows) the worker is stopped at once, whatever it is doing. Where no worker can
 * start, the file is read on this thread as before.
 */
export async function readTableOffThread(
  fileName: string,
  bytes: Uint8Array,
  checkpoint: Checkpoint,
  deadlineMs = READ_DEADLINE_MS,
): Promise<Table> {
  // Refused before copying a file that is too big into a worker (readTable says the same).
  if (bytes.byteLength > MAX_FILE_BYTES || bytes.byteLength === 0) return readTable(fileName, bytes, checkpoint);
  let worker: Worker;
  try {
    worker = new Worker(readWorkerScript(), { workerData: { fileName, bytes, deadlineMs } satisfies ReadWorkerData });
  } catch (error) {
    log.warn('no reading worker; reading the file on this thread', { error: String(error) });
    return readTable(fileName, bytes, checkpoint);
  }
  const rows: string[][] = [];
  let head: Omit<Table, 'rows'> | null = null;
  let seen = 0;
  try {
    return await new Promise<Table>((resolve, reject) => {
      const check = (): boolean => {
        try {
          checkpoint(seen);
          return true;
        } catch (error) {
          reject(error);
          return false;
        }
      };
      const timer = setInterval(check, CHECK_EVERY_MS);
      const settle =
        <T>(f: (v: T) => void) =>
        (v: T) => {
          clearInterval(timer);
          f(v);
        };
      const done = settle(resolve);
      const fail = settle(reject);
      worker.on('message', (reply: ReadReply) => {
        if (reply.kind === 'progress') {
          seen = reply.rows;
          check();
        } else if (reply.kind === 'failed') fail(new LanyardFailure(reply.code as ErrorCode, reply.message));
        else if (reply.kind === 'head') {
          head = reply.table;
          ask();
        } else {
          for (const row of reply.rows) rows.push(row);
          seen = rows.length;
          if (reply.last) done({ ...head!, rows });
          else if (check()) setImmediate(ask); // scans go first
        }
      });
      const ask = () => worker.postMessage({ kind: 'next' } satisfies ReadRequest);
      worker.on('error', (error) => fail(new LanyardFailure('internal', `reading the file failed: ${error.message}`)));
      worker.on('exit', (code) => fail(new LanyardFailure('internal', `the reading worker stopped with code ${code}`)));
    });
  } finally {
    void worker.terminate();
  }
}

/**
 * The worker's script: beside this module when run from source (Node runs the .ts), and beside
 * dist-electron/main.cjs in the app, where Vite's `--mode read-worker` build puts it.
 */
function readWorkerScript(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './read-worker.ts' : './read-worker.cjs', here);
}
