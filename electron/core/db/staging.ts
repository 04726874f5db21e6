import { readdirSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { LanyardFailure } from '../../../shared/result.ts';
import { createLogger } from '../log.ts';
import { processAlive } from '../process-alive.ts';
import { startStagingThread, type StagingThread } from './staging-spare.ts';
import type { StagingMessage, StagingReply } from './staging-worker.ts';

/**
 * A scratch SQLite file filled by a worker thread while the main thread goes on computing (see
 * staging-worker.ts). The owner then ATTACHes it and copies rows with `INSERT … SELECT`, which moves
 * them inside SQLite without binding each value again. Used for big roster imports.
 */
const log = createLogger('staging');
/**
 * Messages posted to the worker and not yet taken, beyond which the owner waits (`behind`, `caughtUp`).
 * Each holds a slice's rows (~50 guests); unbounded, a worker slower than the reading — it runs at the
 * lowest priority (thread-priority.ts), so a busy machine starves it — queued most of a 100,000-row
 * file's rows in memory: peak RSS 528 → 623 MB in a pair at load 9. A slice posts up to 4 messages
 * (terms, term keys, typo keys, guests): 64 hold ~800 guests, ~40 ms of the worker's work, plenty to keep
 * it busy while the reading refills. At 256 the queue sat full on a loaded machine: peak RSS +40–60 MB
 * against the reading without priorities (4 pairs at load 12–17).
 */
const MAX_BACKLOG = 64;
/** How long `caughtUp` waits at most before it returns (the owner checks for a cancel in between). */
const CATCH_UP_WAIT_MS = 50;

export class StagingDb {
  readonly path: string;
  private readonly worker: Worker;
  private failure: Error | null = null;
  private finished = false;
  private discarded = false;
  private readonly done: Promise<number>;
  private readonly parts = new Map<string, StagingPartFile>();
  /** Messages posted, and (shared with the worker, which counts them) taken. */
  private posted = 0;
  private readonly taken: Int32Array;

  /** `thread`: a worker started for this (staging-spare.ts: maybe before the import began), not yet opened. */
  constructor(path: string, schema: string, thread: StagingThread = startStagingThread()) {
    this.path = path;
    this.worker = thread.worker;
    this.taken = thread.taken;
    try {
      rmSync(path, { force: true });
    } catch (error) {
      void this.worker.terminate(); // it is this staging's: a refused file must not leave it running
      throw error;
    }
    this.done = new Promise<number>((resolve, reject) => {
      this.worker.on('message', (reply: StagingReply) => {
        if (reply.kind === 'part') this.parts.get(reply.name)?.announce();
        else {
          this.finished = true;
          resolve(reply.rows);
        }
      });
      this.worker.on('error', (error) => {
        this.failure = error;
        reject(error);
      });
      this.worker.on('exit', (code) => {
        if (this.finished) return; // it closes its port once it has said so
        this.failure ??= new Error(`the staging worker stopped with code ${code}`);
        reject(this.failure);
      });
    });
    this.done.catch(() => {}); // observed through part(); an abandoned import must not crash the process
    this.post({ kind: 'open', path, schema });
  }

  /** Whether the worker failed (its files may be gone: a copy reading them fails for that reason). */
  get failed(): boolean {
    return this.failure !== null;
  }

  /** Whether more than MAX_BACKLOG messages wait for the worker (a live one: a failed one takes none). */
  get behind(): boolean {
    return this.failure === null && !this.discarded && this.posted - Atomics.load(this.taken, 0) > MAX_BACKLOG;
  }

  /**
   * Resolves once the worker is no longer behind, or after CATCH_UP_WAIT_MS: the event loop is free
   * meanwhile (the door scans), and the waiting thread gives the worker the core it was starved of.
   */
  async caughtUp(): Promise<void> {
    const until = performance.now() + CATCH_UP_WAIT_MS;
    while (this.behind && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  /** Queues rows (values flat, row after row) for `table`. Cheap: the worker does the inserting. */
  add(table: string, columns: readonly string[], values: Array<string | number>): void {
    if (this.failure !== null) throw this.failure;
    if (values.length > 0) this.post({ kind: 'rows', table, columns, values });
  }

  /** Queues new search terms packed by guests/staged-guests.ts: the worker makes their keys. */
  addTerms(packed: Array<string | number>): void {
    if (this.failure !== null) throw this.failure;
    if (packed.length > 0) this.post({ kind: 'terms', packed });
  }

  /** Queues new guests packed by guests/staged-guests.ts: the worker makes their staged rows. */
  addGuests(packed: Array<string | number>): void {
    if (this.failure !== null) throw this.failure;
    if (packed.length > 0) this.post({ kind: 'guests', packed });
  }

  /**
   * Ends the staging: the worker runs `sql` on its file and commits, then writes each part (a table made
   * by its `sql` in the file attached as `part`) in turn into a file of its own beside this one; `part(name)` resolves with that file as soon
   * as it is complete, while the worker goes on with the next. Rejects (every part not yet ready too)
   * if the worker fails.
   */
  finishInParts(sql: string, parts: ReadonlyArray<{ name: string; sql: string }>): void {
    // Named like the staging file, so removeStaleStagingFiles finds them after a crash.
    const files = parts.map((p) => ({ ...p, path: `${this.path}.${p.name}` }));
    for (const { name, path } of files) this.parts.set(name, new StagingPartFile(path));
    this.post({ kind: 'finish', sql, parts: files });
  }

  /** The file of a part (finishInParts), once the worker has written it. */
  async part(name: string): Promise<string> {
    const part = this.parts.get(name);
    if (part === undefined) throw new Error(`no staging part ${name}`);
    // Announced, or the worker's end: it announces every part before it says it finished.
    await Promise.race([part.ready, this.settled()]);
    if (this.failure !== null) throw new StagingFailed(`staging the import failed: ${this.failure.message}`);
    if (!part.announced) throw new StagingFailed(`the staging worker finished without part ${name}`);
    return part.path;
  }

  /** Waits for the worker's last reply; a failure discards the files and says so. */
  private async settled(): Promise<void> {
    try {
      await this.done;
    } catch (error) {
      this.discard();
      throw new StagingFailed(`staging the import failed: ${(error as Error).message}`);
    }
  }

  /** Stops the worker (if still running) and deletes its files once it has let go of them. */
  discard(): void {
    if (this.discarded) return;
    this.discarded = true;
    // Deleted off the door's thread: unlinking a file of 100+ MB held it ~8 ms (the import's last scan).
    const remove = (): void => {
      for (const path of [this.path, ...[...this.parts.values()].map((p) => p.path)])
        rm(path, { force: true }).catch((error: unknown) =>
          log.warn('could not delete a staging file', { path, error: String(error) }),
        );
    };
    this.worker.terminate().then(remove, remove);
  }

  private post(message: StagingMessage): void {
    this.posted++;
    this.worker.postMessage(message);
  }
}

class StagingPartFile {
  readonly path: string;
  readonly ready: Promise<void>;
  announced = false;
  private resolve = (): void => {};

  constructor(path: string) {
    this.path = path;
    this.ready = new Promise<void>((resolve) => (this.resolve = resolve));
  }

  announce(): void {
    this.announced = true;
    this.resolve();
  }
}

/** The staging worker failed (or was stopped): the import goes on without staging (import-job.ts). */
export class StagingFailed extends LanyardFailure {
  constructor(message: string) {
    super('internal', message);
  }
}

/**
 * A big import's writer's script (import-write-worker.ts), found as the staging worker's is (staging-spare.ts) (Vite's
 * `--mode import-write-worker` build). A script of its own: run from the staging worker's, it loaded
 * the search keys' modules (the Chinese segmenter's and pinyin's dictionaries) it never uses, ~130 ms
 * of CPU as each import's copy starts, beside the staging worker's first part.
 */
export function importWriterScript(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './import-write-worker.ts' : './import-write-worker.cjs', here);
}

/** A staging file's name carries the pid of the process that writes it: `prefix<pid>-<random>.db`. */
export function stagingFileName(prefix: string, pid: number, random: string): string {
  return `${prefix}${pid}-${random}.db`;
}

/**
 * Scratch files left by a run that crashed mid-import (a finished or failed import deletes its own).
 * They hold a copy of the new guests' names and emails, so they go as soon as we know their writer is
 * gone: at once when the pid in the name is not running, else (an unparseable name) after a minute
 * untouched — a live import rewrites its file continuously.
 */
export function removeStaleStagingFiles(dir: string, prefix: string, now: number): void {
  try {
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(prefix)) continue;
      const file = join(dir, name);
      const pid = /^(\d+)-/.exec(name.slice(prefix.length))?.[1];
      const orphaned = pid !== undefined ? !processAlive(Number(pid)) : now - statSync(file).mtimeMs > 60_000;
      if (orphaned) rmSync(file, { force: true });
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    log.warn('could not tidy old staging files', { dir, error: String(error) });
  }
}
