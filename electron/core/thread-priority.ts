import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
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

/** The nice value of V8's helper threads: below the door's thread (0), above the import's workers (19). */
export const V8_HELPERS_NICE = 10;
/** Node's name for its platform's worker threads, which every isolate's background work runs on. */
const V8_HELPER_NAME = 'V8Worker';
let helpersLowered = false;

/**
 * Lowers the priority of V8's helper threads (Node's platform pool, shared by every isolate in the
 * process), once: on Linux, where a thread's nice value is its own. Returns how many it lowered.
 *
 * Why: while a workbook is read, the reading worker (nice 19) has its concurrent marking, sweeping and
 * optimising compiles done by these helpers, at the door's own priority: 0.25 s of CPU during a 1.1 s
 * upload of 100,000 rows, against the door's 0.11 s, on a laptop with 2 cores. Lowered, a scan that
 * arrives meanwhile gets its core first. Roster bench, scan-xlsx, 22 alternating pairs in three batches:
 * the door's p99 during the import better in 16 (medians 8.4 → 7.3, 9.3 → 8.4, 9.2 → 8.6 ms), the
 * reading phase's p99 in most (medians 10.3 → 8.4 and 12.3 → 9.9 ms; one batch of 6 no better); the
 * import itself no slower beyond this machine's spread, a CSV import neither (5 pairs).
 *
 * For good, not just during imports: a process may lower its threads' priority but not raise it again
 * (that needs CAP_SYS_NICE). The door's own background GC work runs on these helpers too; it only waits
 * when a busier thread of the door's priority wants the core. Elsewhere (macOS, Windows, or Electron,
 * whose helpers have other names) nothing is changed.
 */
export function lowerV8HelperThreads(nice = V8_HELPERS_NICE): number {
  if (helpersLowered || process.platform !== 'linux') return 0;
  helpersLowered = true;
  let lowered = 0;
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        if (readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() !== V8_HELPER_NAME) continue;
        if (getPriority(Number(tid)) < nice) setPriority(Number(tid), nice);
        lowered++;
      } catch {
        // the thread ended while we looked
      }
    }
  } catch (error) {
    log.warn('could not lower V8’s helper threads', { error: String(error) });
  }
  if (lowered === 0) log.info('no V8 helper threads found to lower', {});
  return lowered;
}
