import { Worker } from 'node:worker_threads';
import { LanyardFailure, type ErrorCode } from '../../../shared/result.ts';
import { createLogger } from '../log.ts';
import { PackedRows } from './read-rows.ts';
import type { ReadReply, ReadWorkerData } from './read-worker.ts';
import { MAX_FILE_BYTES } from '../../../shared/roster/limits.ts';
import { isZip, READ_DEADLINE_MS, readTableTo, type Checkpoint, type Table } from './read-table.ts';

const log = createLogger('roster');
/** The reading worker's heap limit. */
const WORKER_HEAP_MB = 192;
/** How often the job's checkpoint is asked while the worker works (cancel, time limit), in ms. */
const CHECK_EVERY_MS = 200;

/** An uploaded file as the import keeps it: its rows packed (read-rows.ts), never a whole `string[][]`. */
export interface UploadedTable extends Omit<Table, 'rows'> {
  rows: PackedRows;
}

/** Reads the file on this thread (a CSV; a workbook where no worker can), its rows packed as they come. */
async function readHere(
  fileName: string,
  bytes: Uint8Array,
  checkpoint: Checkpoint,
  deadlineMs: number,
): Promise<UploadedTable> {
  const rows = new PackedRows();
  const { table, width } = await readTableTo(fileName, bytes, checkpoint, deadlineMs, (batch) => rows.add(batch));
  return { ...table, rows: rows.end(width) };
}

/**
 * Reads an uploaded roster file without holding the door's thread. A workbook is read in a worker
 * thread (read-worker.ts): its unzip checks inflate the whole archive in one go and ExcelJS parses the
 * XML in long steps, hundreds of ms on the door's thread for 100,000 rows. The worker packs the rows
 * (read-rows.ts) in batches as it reads them (it never holds them all) and hands the bytes over without
 * a copy, so this thread neither parses nor clones them. `checkpoint` is asked on every batch and every
 * 200 ms; when it throws (cancelled, time limit, too many rows) the worker is stopped at once, whatever
 * it is doing. A CSV is read here: its parse yields every few ms already, and in a worker it took 3–4× as
 * long and ~100 MB more at its peak for 100,000 rows. Where no worker can start, the workbook is read here too.
 */
export async function readUpload(
  fileName: string,
  bytes: Uint8Array,
  checkpoint: Checkpoint,
  deadlineMs = READ_DEADLINE_MS,
  workerHeapMb = WORKER_HEAP_MB,
): Promise<UploadedTable> {
  // A file too big is refused before it is copied into a worker (readTableTo says why).
  if (!isZip(bytes) || bytes.byteLength > MAX_FILE_BYTES) return readHere(fileName, bytes, checkpoint, deadlineMs);
  let worker: Worker;
  try {
    // The worker gets a copy of the bytes, handed over without cloning them: cloned (the default for
    // workerData), the 4.8 MB of a 100,000-row workbook held the door's thread 1–30 ms in `new Worker`
    // (28–31 ms in the roster bench, the worst scan of its reading phase); the copy takes ~1 ms. This thread
    // keeps its own bytes for reading the file itself if the worker cannot (below). A copy into a fresh
    // buffer of its own, not `bytes.slice()`: the upload's bytes are a Node Buffer, whose slice() is a view
    // of the same memory — handing that over emptied this thread's bytes (the fallback then read an empty
    // file), and for a file under 32 KB, which lives in Node's shared pool, it could not be handed over.
    const handed = new Uint8Array(bytes.byteLength);
    handed.set(bytes);
    worker = new Worker(readWorkerScript(), {
      workerData: { fileName, bytes: handed, deadlineMs } satisfies ReadWorkerData,
      transferList: [handed.buffer],
      // Its own heap, capped: uncapped, V8 let it grow to ~200 MB more than the rows need while a workbook of
      // 100,000 rows was read (measured peak RSS, reading it alone: 454–490 MB, capped 267–277 MB). A
      // workbook that needs more is read on this thread, as before (below).
      resourceLimits: { maxOldGenerationSizeMb: workerHeapMb },
    });
  } catch (error) {
    log.warn('no reading worker; reading the file on this thread', { error: String(error) });
    return readHere(fileName, bytes, checkpoint, deadlineMs);
  }
  let rows = new PackedRows();
  let fellBack = false;
  try {
    return await new Promise<UploadedTable>((resolve, reject) => {
      const check = (): boolean => {
        try {
          checkpoint(rows.rowCount);
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
        if (reply.kind === 'progress') check();
        else if (reply.kind === 'rows') {
          rows.addPacked(reply.packs, reply.count);
          check();
        } else if (reply.kind === 'failed') fail(new LanyardFailure(reply.code as ErrorCode, reply.message));
        else done({ ...reply.table, rows: rows.end(reply.width) });
      });
      worker.on('error', (error) => {
        if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_OUT_OF_MEMORY')
          fail(new LanyardFailure('internal', `reading the file failed: ${error.message}`));
        else {
          log.warn('the reading worker ran out of memory; reading the file on this thread', { fileName });
          fellBack = true;
          rows = new PackedRows();
          readHere(fileName, bytes, checkpoint, deadlineMs).then(done, fail);
        }
      });
      worker.on('exit', (code) => {
        if (!fellBack) fail(new LanyardFailure('internal', `the reading worker stopped with code ${code}`));
      });
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
