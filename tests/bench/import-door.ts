import type { WriteGate } from '../../electron/core/db/write-gate.ts';
import { traceScans, type ScanSample } from './scan-trace.ts';
import { percentile, round3 } from './stats.ts';

/** The roster bench's door during an import: what its scans measured. */
export interface DoorScans {
  count: number;
  /** Of them, guests' first check-ins (writes); the rest were repeats (codes ran out). */
  firstCheckIns: number;
  p50: number;
  p99: number;
  max: number;
  dispatchP99: number;
  /** Of the latency: the wait for the event loop (arrival → start) and, per phase, the scans' p99. */
  waitP99: number;
  p99ByPhase: Record<string, { count: number; p99: number; dispatchP99: number }>;
}

/**
 * A door beside an import (roster-bench.ts): a scan arrives every 10 ms; if the event loop is busy when
 * it arrives, it waits, and its latency counts from its arrival. `scan` answers whether it checked a guest
 * in; `phase` says what the import is doing (its job's phase), recorded with each scan. `stop` ends the
 * door after its scan in progress and returns the figures (and prints the trace, if asked: scan-trace.ts).
 */
export function startDoor(
  codes: readonly string[],
  scan: (code: string) => boolean,
  gate: WriteGate,
): { phase: string; stop(): Promise<DoorScans> } {
  const samples: ScanSample[] = [];
  let firstCheckIns = 0;
  let open = true;
  const trace = traceScans();
  const started = performance.now();
  const door = {
    phase: 'reading',
    async stop(): Promise<DoorScans> {
      open = false;
      await running;
      trace?.stop(started, samples);
      return summary(samples, firstCheckIns);
    },
  };
  const running = (async () => {
    let arrival = performance.now();
    for (let i = 0; open; i++) {
      arrival += 10;
      const wait = arrival - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const start = performance.now();
      const turnWaits = gate.waits.ms;
      if (scan(codes[i % codes.length]!)) firstCheckIns++;
      const end = performance.now();
      const from = Math.min(arrival, start);
      samples.push({
        arrival: from,
        latency: end - from,
        wait: Math.max(0, start - arrival),
        dispatch: end - start,
        gate: gate.waits.ms - turnWaits,
        phase: door.phase,
      });
      if (end > arrival + 10) arrival = end; // a stalled loop: the next scan arrives 10 ms from now
    }
  })();
  return door;
}

function summary(samples: readonly ScanSample[], firstCheckIns: number): DoorScans {
  const p99 = (of: (s: ScanSample) => number, which = samples) => round3(percentile(which.map(of), 99));
  const phases = [...new Set(samples.map((s) => s.phase))];
  return {
    count: samples.length,
    firstCheckIns,
    p50: round3(
      percentile(
        samples.map((s) => s.latency),
        50,
      ),
    ),
    p99: p99((s) => s.latency),
    max: round3(Math.max(...samples.map((s) => s.latency))),
    dispatchP99: p99((s) => s.dispatch),
    waitP99: p99((s) => s.wait),
    p99ByPhase: Object.fromEntries(
      phases.map((phase) => {
        const at = samples.filter((s) => s.phase === phase);
        return [phase, { count: at.length, p99: p99((s) => s.latency, at), dispatchP99: p99((s) => s.dispatch, at) }];
      }),
    ),
  };
}
