import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { createLogger } from './log.ts';

const log = createLogger('threads');

/**
 * The nice value of the kiosk's background worker threads (an import's staging and reading workers; not the
 * checkpointer, which needs little CPU and must keep the WAL short). The door's thread stays at the process's own (0): on a laptop with 2 cores a 100,000-row
 * import kept both busy, and the scheduler shared them evenly, so a scan arriving mid-import waited for
 * its turn on a core as well as for the import's chunk on the event loop (its own dispatch p99 went from
 * 0.6 ms idle to ~5.6 ms). At 19 a worker gets a core only while the door's thread does not want it;
 * when the door is idle, as it is most of an import, the worker runs at full speed.
 */
export const BACKGROUND_NICE = 19;

/**
 * Lowers the priority of the calling worker thread (never the door's thread). On Linux a thread's nice
 * value is its own: `setpriority` on a thread id changes that thread alone, and a process may always
 * lower its own threads. Elsewhere (macOS, Windows: a pid there means the whole process) it does
 * nothing and says so once in the log. Returns whether the priority was lowered; a failure only logs.
 */
export function lowerThisWorkerPriority(worker: string, nice = BACKGROUND_NICE): boolean {
  if (isMainThread) throw new Error('lowerThisWorkerPriority is for worker threads, not the door’s thread');
  if (process.platform !== 'linux') {
    log.info('worker priority left as it is (per-thread priorities are Linux only)', { worker });
    return false;
  }
  try {
    const tid = threadId();
    if (getPriority(tid) < nice) setPriority(tid, nice);
    return true;
  } catch (error) {
    log.warn('could not lower a worker thread’s priority', { worker, error: String(error) });
    return false;
  }
}

/** The kernel's id of the calling thread: /proc/thread-self links to "PID/task/TID". */
function threadId(): number {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (!Number.isInteger(tid) || tid <= 0) throw new Error('no thread id in /proc/thread-self');
  return tid;
}
