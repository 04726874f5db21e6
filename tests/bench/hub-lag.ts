/**
 * The venue hub must not slow its own door: `node tests/bench/hub-lag.ts` starts a hub kiosk in this
 * process, lets two doors (hub-lag-doors.ts, another process) sync ~1,500 facts through it, and measures
 * this process's event-loop delay meanwhile — what a scan at the hub's own door would wait before it runs.
 * The hub's server runs in a worker thread (electron/core/hub/server-worker.ts) for exactly this.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import type { HubStatus } from '../../shared/hub/status.ts';
import { newHubKiosk } from '../support/hub.ts';

const hub = newHubKiosk('Hub desk');
const call = createDispatcher(hub.kiosk.ownerHandlers);
await hub.kiosk.hub!.startAndWait({ port: 0 });
const status = () => (call('hub.status', {}) as { ok: true; value: HubStatus }).value;
const pairing = async (name: string) => {
  call('hub.newPairing', { name });
  for (;;) {
    const made = status().pairing;
    if (made?.name === name) return made;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
const [a, b] = [await pairing('A'), await pairing('B')];
const doors = spawn(
  process.execPath,
  [path.join(import.meta.dirname, 'hub-lag-doors.ts'), a.url, a.code, b.url, b.code],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const delay = monitorEventLoopDelay({ resolution: 1 });
let output = '';
doors.stdout.on('data', (chunk: Buffer) => {
  output += chunk.toString();
  if (output.includes('ready')) delay.enable();
});
await new Promise((resolve) => doors.once('exit', resolve));
delay.disable();
const ms = (ns: number) => Math.round(ns / 1e4) / 100;
const durations = JSON.parse(output.trim().split('\n').pop()!) as Record<string, number>;
process.stdout.write(
  `${JSON.stringify({
    loadAverage: os.loadavg()[0],
    syncMs: Object.fromEntries(Object.entries(durations).map(([k, v]) => [k, Math.round(v)])),
    hubEventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
  })}\n`,
);
await hub.kiosk.hub!.stopAndWait();
hub.kiosk.close();
hub.cleanup();
