import { Worker } from 'node:worker_threads';
import { createLogger } from '../log.ts';
import type { StagingWorkerData } from './staging-worker.ts';

const log = createLogger('staging');

/**
 * How long a warm staging worker waits for its import before it is stopped: the organiser reads the
 * preview and checks the columns first. An import after that starts its own worker, as without a spare.
 */
export const SPARE_IDLE_MS = 3 * 60_000;

/** A staging worker (staging-worker.ts) and the counter of messages it took, not yet told its file. */
export interface StagingThread {
  worker: Worker;
  taken: Int32Array;
}

/** Starts a staging worker; it loads its modules and waits for its `open` message (StagingDb). */
export function startStagingThread(): StagingThread {
  const taken = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(stagingWorkerScript(), { workerData: { taken } satisfies StagingWorkerData });
  return { worker, taken };
}

/**
 * One staging worker started before the import that will need it (`warm`, as a big file's upload
 * begins), so that its start is not the import's: loading its modules (the search keys' segmenter and
 * pinyin dictionaries) took 110–240 ms of CPU as the checking began, and until it was up the door's
 * thread could only queue rows for it (roster bench, 100,000 rows: the worker answered ~245 ms into
 * the checking). During the upload the door's thread parses the file and the second core is idle.
 *
 * A spare never keeps the process alive (unref), ends after SPARE_IDLE_MS unused, and `close` (the
 * kiosk's) stops it. It holds no file and no data until an import takes it.
 */
export class SpareStagingThread {
  private spare: { thread: StagingThread; timer: NodeJS.Timeout; forget: () => void; online: boolean } | null = null;
  private closed = false;
  private readonly idleMs: number;

  constructor(idleMs = SPARE_IDLE_MS) {
    this.idleMs = idleMs;
  }

  /** Starts a worker for the next import, unless one waits already. A failure only logs (take starts one). */
  warm(): void {
    if (this.spare !== null || this.closed) return;
    let thread: StagingThread;
    try {
      thread = startStagingThread();
    } catch (error) {
      log.warn('could not start a spare staging worker', { error: String(error) });
      return;
    }
    thread.worker.unref();
    // A spare that fails or stops on its own is forgotten, so no import is handed a dead worker.
    const gone = (error?: Error): void => {
      if (error !== undefined) log.warn('the spare staging worker failed', { error: String(error) });
      if (this.spare?.thread === thread) this.forget();
    };
    const online = (): void => {
      if (this.spare?.thread === thread) this.spare.online = true;
    };
    thread.worker.on('error', gone);
    thread.worker.on('exit', gone);
    thread.worker.once('online', online);
    const timer = setTimeout(() => void this.stop(), this.idleMs);
    timer.unref();
    const forget = (): void => {
      thread.worker.off('error', gone);
      thread.worker.off('exit', gone);
      thread.worker.off('online', online);
    };
    this.spare = { thread, timer, forget, online: false };
  }

  /** The waiting worker (its import owns it now), or a new one. */
  take(): StagingThread {
    const spare = this.forget();
    if (spare === null) return startStagingThread();
    spare.worker.ref();
    return spare;
  }

  /** Whether a worker waits for an import: 'starting', or 'online' once its thread runs. */
  get waiting(): 'starting' | 'online' | null {
    return this.spare === null ? null : this.spare.online ? 'online' : 'starting';
  }

  /** Stops the waiting worker, and warms none after this (the kiosk closes). */
  close(): Promise<void> {
    this.closed = true;
    return this.stop();
  }

  private async stop(): Promise<void> {
    const spare = this.forget();
    if (spare !== null) await spare.worker.terminate();
  }

  private forget(): StagingThread | null {
    const spare = this.spare;
    if (spare === null) return null;
    this.spare = null;
    clearTimeout(spare.timer);
    spare.forget();
    return spare.thread;
  }
}

/**
 * The worker's script: beside this module when run from source (Node runs the .ts), and beside
 * dist-electron/main.cjs in the app, where Vite's `--mode staging-worker` build puts it.
 */
export function stagingWorkerScript(): URL {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? './staging-worker.ts' : './staging-worker.cjs', here);
}
