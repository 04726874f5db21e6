import { randomBytes } from 'node:crypto';
import { LanyardFailure, type LanyardError } from '../../shared/result.ts';
import { createLogger } from './log.ts';
import { unexpectedFailure } from './unexpected-failure.ts';

const log = createLogger('jobs');

/**
 * Long work (parsing a 100,000-row file, building an XLSX) runs as a job: the call that starts it returns
 * at once with an id; the UI polls progress and may cancel. The work yields between chunks, so the
 * process keeps answering scans meanwhile, and it has a deadline.
 */
export interface JobStatus {
  id: string;
  kind: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  phase: string;
  done: number;
  total: number;
  result: unknown;
  error: LanyardError | null;
}

export interface JobContext {
  /** Reports progress; throws `cancelled` or `timeout` when the job must stop. */
  progress(phase: string, done: number, total: number): void;
  /** Lets other work (scans) run, and checks for cancellation. */
  yieldNow(): Promise<void>;
}

const KEEP_FINISHED = 20;

export class JobRunner {
  private readonly jobs = new Map<string, JobStatus & { cancel: boolean; deadline: number }>();

  start(kind: string, timeLimitMs: number, work: (ctx: JobContext) => Promise<unknown>): string {
    const id = `job_${randomBytes(6).toString('hex')}`;
    const job = {
      id,
      kind,
      state: 'running' as JobStatus['state'],
      phase: 'starting',
      done: 0,
      total: 0,
      result: null as unknown,
      error: null as LanyardError | null,
      cancel: false,
      deadline: Date.now() + timeLimitMs,
    };
    this.jobs.set(id, job);
    const check = (): void => {
      if (job.cancel) throw new LanyardFailure('cancelled', 'cancelled by staff');
      if (Date.now() > job.deadline)
        throw new LanyardFailure(
          'timeout',
          `${kind} took longer than ${Math.round(timeLimitMs / 1000)} s and was stopped`,
        );
    };
    const ctx: JobContext = {
      progress: (phase, done, total) => {
        job.phase = phase;
        job.done = done;
        job.total = total;
        check();
      },
      yieldNow: async () => {
        await new Promise((resolve) => setImmediate(resolve));
        check();
      },
    };
    // Start on the next turn so the caller gets its id before any work (or failure) happens.
    setImmediate(() => {
      work(ctx).then(
        (result) => {
          job.state = 'done';
          job.result = result;
        },
        (error: unknown) => {
          const failure = unexpectedFailure(error);
          if (!(error instanceof LanyardFailure))
            log.error('job failed', { kind, error: String((error as Error).stack ?? error) });
          job.state = failure.code === 'cancelled' ? 'cancelled' : 'failed';
          job.error = { code: failure.code, message: failure.message };
        },
      );
    });
    this.prune();
    return id;
  }

  get(id: string): JobStatus {
    const job = this.jobs.get(id);
    if (job === undefined) throw new LanyardFailure('job_not_found', `no job ${id}`);
    const { cancel: _c, deadline: _d, ...status } = job;
    return status;
  }

  cancel(id: string): JobStatus {
    const job = this.jobs.get(id);
    if (job === undefined) throw new LanyardFailure('job_not_found', `no job ${id}`);
    if (job.state === 'running') job.cancel = true;
    return this.get(id);
  }

  /** Resolves when the job has finished (CLI and tests); the UI polls `get` instead. */
  async wait(id: string): Promise<JobStatus> {
    for (;;) {
      const status = this.get(id);
      if (status.state !== 'running') return status;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.state !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(j.id);
  }
}
