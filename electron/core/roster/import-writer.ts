import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import type { CopyPart, ImportWriterData, WriterMessage, WriterReply } from '../db/import-write-worker.ts';
import { STOP, writeGateOf, type WriteGate } from '../db/write-gate.ts';
import { importWriterScript } from '../db/staging.ts';
import { createLogger } from '../log.ts';

const log = createLogger('roster');
/** How often the owner looks for a cancel (the job's yieldNow) while the worker copies a part. */
const CHECK_EVERY_MS = 20;
/** How long a stop waits for the worker to finish its chunk and close before it is terminated. */
const STOP_WAIT_MS = 5000;

/** A failure of the worker's copy, with SQLite's code (a taken code or term means: plan again). */
class CopyFailed extends Error {
  readonly code: string | null;
  constructor(message: string, code: string | null) {
    super(message);
    this.code = code;
  }
}

/**
 * A big import's copy off the door's thread (db/import-write-worker.ts): the door hands over one staged
 * part at a time and goes on scanning; the worker's transactions take turns with the door's (the
 * connection's write gate). `open` returns null where no worker can start or the connection has no
 * gate: the copy then runs on the door's thread as before (import-chunks.ts).
 */
export class ImportWriter {
  private readonly worker: Worker;
  private readonly db: Database;
  private readonly gate: WriteGate;
  private readonly exited: Promise<void>;
  private current: { resolve: (r: WriterReply) => void; reject: (e: Error) => void } | null = null;
  private onChunk: (rows: number) => void = () => {};
  private failure: Error | null = null;
  private gone = false;

  static open(db: Database): ImportWriter | null {
    const gate = writeGateOf(db);
    if (gate === undefined) return null;
    try {
      return new ImportWriter(db, gate);
    } catch (error) {
      log.warn('no import writer; copying on the door’s thread', { error: String(error) });
      return null;
    }
  }

  private constructor(db: Database, gate: WriteGate) {
    this.db = db;
    this.gate = gate;
    Atomics.store(gate.flags, STOP, 0);
    this.worker = new Worker(importWriterScript(), {
      workerData: {
        kind: 'import-writer',
        path: db.name,
        flags: gate.flags,
        doorClock: gate.doorClock,
        fullfsync: process.platform === 'darwin',
      } satisfies ImportWriterData,
      // It allocates little (SQLite's cache is outside the heap), but run from source Node loads its
      // TypeScript stripper into the worker's heap (checkpoints.ts). A limit, not a reservation.
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 48 },
    });
    gate.writerStarted();
    this.worker.on('message', (reply: WriterReply) => {
      if (reply.kind === 'chunk') return this.onChunk(reply.rows);
      const waiting = this.current;
      this.current = null;
      if (reply.kind === 'failed') waiting?.reject(new CopyFailed(reply.message, reply.code));
      else waiting?.resolve(reply);
    });
    this.worker.on('error', (error) => {
      this.failure = error;
      this.current?.reject(error);
      this.current = null;
    });
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', () => {
        if (!this.gone) {
          this.gone = true;
          gate.writerGone();
        }
        this.failure ??= new Error('the import writer stopped');
        this.current?.reject(this.failure);
        this.current = null;
        resolve();
      }),
    );
  }

  /**
   * Copies one staged part; `chunk` hears each committed chunk's rows. `yieldNow` is the job's (it
   * throws when the import is cancelled or out of time): then the worker is stopped before this throws.
   */
  async copy(
    part: Omit<CopyPart, 'kind'>,
    chunk: (rows: number) => void,
    yieldNow: () => Promise<void>,
  ): Promise<Extract<WriterReply, { kind: 'copied' }>> {
    if (this.failure !== null) throw this.failure;
    // The job's progress throws once the import is cancelled: heard here, not in the worker's message handler.
    let refused: unknown = null;
    this.onChunk = (rows) => {
      try {
        chunk(rows);
      } catch (error) {
        refused ??= error;
      }
    };
    const reply = new Promise<WriterReply>((resolve, reject) => (this.current = { resolve, reject }));
    let settled = false;
    reply.then(
      () => (settled = true),
      () => (settled = true),
    );
    this.post({ kind: 'copy', ...part });
    try {
      while (!settled) {
        await Promise.race([reply, new Promise((resolve) => setTimeout(resolve, CHECK_EVERY_MS))]);
        if (refused !== null) throw refused;
        // The kiosk closed (the app quits, the event is closed): its file is not written any more.
        if (!this.db.open) throw new Error('the kiosk database was closed while an import wrote');
        if (!settled) await yieldNow();
      }
    } catch (error) {
      await this.stop();
      throw error;
    }
    if (refused !== null || !this.db.open) {
      await this.stop();
      throw refused ?? new Error('the kiosk database was closed while an import wrote');
    }
    const result = await reply;
    if (result.kind !== 'copied') throw new Error(`the import writer answered ${result.kind}`);
    return result;
  }

  /** The door's transactions that waited for the worker's chunk so far: how many, how long (ms). */
  get doorWaits(): { count: number; ms: number; maxMs: number } {
    const w = this.gate.waits;
    return { count: w.count, ms: Math.round(w.ms), maxMs: Math.round(w.maxMs * 10) / 10 };
  }

  /**
   * Stops the worker after the chunk it is in (nothing half-written: each chunk is a transaction) and
   * waits until its connection is closed. Safe to call again.
   */
  async stop(): Promise<void> {
    if (this.gone) return;
    Atomics.store(this.gate.flags, STOP, 1);
    Atomics.notify(this.gate.flags, 0);
    this.post({ kind: 'close' });
    const timer = setTimeout(() => void this.worker.terminate(), STOP_WAIT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  private post(message: WriterMessage): void {
    this.worker.postMessage(message);
  }
}
