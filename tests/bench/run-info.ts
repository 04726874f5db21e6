/**
 * What a bench run records about itself (the commit, Node, the machine and how busy it was) and the
 * history file: one line per run in bench-results/history.jsonl, kept in the repository, so a regression
 * shows as a line beside the runs before it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '../..');
export const RESULTS_DIR = path.join(REPO, 'bench-results');

export interface RunInfo {
  commit: string;
  /** Uncommitted changes in the working tree when the run started. */
  dirty: boolean;
  node: string;
  cpus: number;
  startedAt: string;
  loadAverageStart: number[];
  loadAverageEnd: number[];
  seconds: number;
}

const loadAverage = (): number[] => os.loadavg().map((l) => Math.round(l * 100) / 100);

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/** Call at the start; `finish()` at the end fills in the end load and the duration. */
export function startRun(): { info: RunInfo; finish(): RunInfo } {
  const started = performance.now();
  const info: RunInfo = {
    // BENCH_COMMIT: a run from an exported tree (git archive) of that commit, without .git.
    commit: process.env['BENCH_COMMIT'] ?? (git(['rev-parse', 'HEAD']) || 'unknown'),
    dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '',
    node: process.version,
    cpus: os.cpus().length,
    startedAt: new Date().toISOString(),
    loadAverageStart: loadAverage(),
    loadAverageEnd: [],
    seconds: 0,
  };
  return {
    info,
    finish() {
      info.loadAverageEnd = loadAverage();
      info.seconds = Math.round((performance.now() - started) / 100) / 10;
      return info;
    },
  };
}

/** Writes the run's JSON and appends its headline line to the history. */
export function saveRun(fileName: string, result: object, headline: object): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, fileName), `${JSON.stringify(result, null, 2)}\n`);
  fs.appendFileSync(path.join(RESULTS_DIR, 'history.jsonl'), `${JSON.stringify(headline)}\n`);
}
