import fs from 'node:fs';

/**
 * A diagnosis of the roster bench's slowest scans during an import, on stderr (`TRACE_SCANS=1 node
 * tests/bench/roster-bench.ts scan-csv FILE`): for each, when it arrived, its wait for the event loop, its
 * dispatch and its wait for the import writer's turn (write-gate.ts), the import's phase, and the garbage
 * collections that overlapped it (kind 1: scavenge, 4: mark-compact, 8: incremental marking). How the
 * young generation's scavenges (gc-pauses.ts), the copy's chunks and the start-up's steps were found.
 * `TRACE_WINDOWS=FILE` also writes each scan's window in the clock of a `--cpu-prof` profile, to see
 * what the thread ran meanwhile. Off, it costs nothing.
 */
export interface ScanSample {
  arrival: number;
  latency: number;
  wait: number;
  dispatch: number;
  gate: number;
  phase: string;
}

const SHOWN = 12;

export function traceScans(): { stop(started: number, samples: readonly ScanSample[]): void } | null {
  if (!process.env.TRACE_SCANS) return null;
  const gcs: Array<{ start: number; ms: number; kind: number }> = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      gcs.push({
        start: e.startTime,
        ms: e.duration,
        kind: (e as PerformanceEntry & { detail: { kind: number } }).detail.kind,
      });
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop(started, samples) {
      observer.disconnect();
      const worst = samples
        .map((s, i) => ({ ...s, i }))
        .sort((a, b) => b.latency - a.latency)
        .slice(0, SHOWN);
      // performance.now() → the monotonic microseconds of a V8 CPU profile's timestamps.
      const offsetUs = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;
      for (const s of worst) {
        const near = gcs.filter((g) => g.start + g.ms > s.arrival - 1 && g.start < s.arrival + s.latency);
        const window = `${Math.round(s.arrival * 1000 + offsetUs)} ${Math.round((s.arrival + s.latency) * 1000 + offsetUs)}`;
        if (process.env.TRACE_WINDOWS)
          fs.appendFileSync(process.env.TRACE_WINDOWS, `${window} ${s.i} ${s.latency.toFixed(1)} ${s.phase}\n`);
        console.error(
          `scan ${s.i} @${(s.arrival - started).toFixed(0)} ms: ${s.latency.toFixed(1)} ms (wait ${s.wait.toFixed(1)}, ` +
            `dispatch ${s.dispatch.toFixed(1)}, writer's turn ${s.gate.toFixed(1)}) ${s.phase}; ` +
            `gc ${near.map((g) => `${g.kind}:${g.ms.toFixed(1)}`).join(',') || '-'}`,
        );
      }
      const byKind = new Map<number, number[]>();
      for (const g of gcs) byKind.set(g.kind, [...(byKind.get(g.kind) ?? []), g.ms]);
      for (const [kind, ms] of byKind)
        console.error(
          `gc kind ${kind}: ${ms.length}, ${ms.reduce((x, y) => x + y, 0).toFixed(0)} ms in all, longest ${Math.max(...ms).toFixed(1)} ms`,
        );
    },
  };
}
