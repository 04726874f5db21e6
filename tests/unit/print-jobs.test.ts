import { describe, expect, it } from 'vitest';
import { BADGES_PER_PRINT_JOB, printJobs } from '../../electron/core/badges/render-pdf.ts';

const badges = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('a batch of badges split into print jobs', () => {
  it('keeps every badge once, in order, and a small batch in one job', () => {
    expect(printJobs(badges(1), 1, 2)).toEqual([[0]]);
    expect(printJobs(badges(BADGES_PER_PRINT_JOB), 1, 2)).toHaveLength(1);
    for (const [n, perPage, workers] of [
      [1000, 1, 2],
      [1000, 1, 3],
      [151, 1, 2],
      [997, 10, 2],
      [25, 10, 4],
    ] as const) {
      const jobs = printJobs(badges(n), perPage, workers);
      expect(jobs.flat()).toEqual(badges(n));
      // Whole pages: an A4 sheet of ten cards is never split between two jobs.
      for (const job of jobs.slice(0, -1)) expect(job.length % perPage).toBe(0);
      for (const job of jobs) expect(job.length).toBeLessThanOrEqual(Math.max(perPage, BADGES_PER_PRINT_JOB));
    }
  });

  it('gives every worker as many jobs: 1,000 labels on 2 CPUs are 8 jobs of 125', () => {
    expect(printJobs(badges(1000), 1, 2).map((j) => j.length)).toEqual(Array(8).fill(125));
    expect(printJobs(badges(1000), 1, 3)).toHaveLength(9);
  });
});
