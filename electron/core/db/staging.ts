import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LanyardFailure } from '../../../shared/result.ts';
import { createLogger } from '../log.ts';
import { processAlive } from '../process-alive.ts';
import type { StagingMessage, StagingReply, StagingWorkerData } from './staging-worker.ts';

/**
 * A scratch SQLite file filled by a worker thread while the main thread goes on computing (see
 * staging-worker.ts). The owner then ATTACHes it and copies rows with `INSERT … SELECT`, which moves
 * them inside SQLite without binding each value again. Used for big roster imports.
 */
const log = createLogger('staging');

export class StagingDb {
  readonly path: string;
  private readonly worker: Worker;
  private failure: Error | null = null;
  private readonly done: Promise<number>;

  constructor(path: string, schema: string) {
    this.path = path;
    rmSync(path, { force: true });
    this.worker = new Worker(stagingWorkerScript(), { workerData: { path, schema } satisfies StagingWorkerData });
    this.done = new Promise<number>((resolve, reject) => {
      this.worker.on('message', (reply: StagingReply) => resolve(reply.rows));
      this.worker.on('error', (error) => {
        this.failure = error;
        reject(error);
      });
      this.worker.on('exit', (code) => reject(new Error(`the staging worker stopped with code ${code}`)));
    });
    this.done.catch(() => {}); // observed through finish(); an abandoned import must not crash the process
  }

  /** Queues rows (values flat, row after row) for `table`. Cheap: the worker does the inserting. */
  add(table: string, columns: readonly string[], values: Array<string | number>): void {
    if (this.failure !== null) throw this.failure;
    if (values.length > 0) this.post({ kind: 'rows', table, columns, values });
  }

  /**
   * Resolves once every row is committed to the file, after the worker ran `sql` on it (in the same
   * transaction: the owner's rewrites of its tables); rejects if the worker failed.
   */
  async finish(sql = ''): Promise<void> {
    this.post({ kind: 'finish', sql });
    try {
      await this.done;
    } catch (error) {
      this.discard();
      throw new LanyardFailure('internal', `staging the import failed: ${(error as Error).message}`);
    }
  }

  /** Stops the worker (if still running) and deletes the file once it has let go of it. */
  discard(): void {
    const remove = (): void => {
      try {
        rmSync(this.path, { force: true });
      } catch (error) {
        log.warn('could not delete a staging file', { path: this.path, error: String(error) });
      }
    };
    this.worker.terminate().then(remove, remove);
  }

  private post(message: StagingMessage): void {
    this.worker.postMessage(message);
  }
}

/**
 * The worker's script: beside this module when run from source (Node runs the .ts), and beside
 * dist-electron/main.cjs in the app, where Vite's `--mode staging-worker` build puts it.
 */
function stagingWorkerScript(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './staging-worker.ts' : './staging-worker.cjs', here);
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
