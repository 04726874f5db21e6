/**
 * The kiosk's side of a first pull, without a server: 100,000 facts of the sync bench's mix (nine room
 * entries to one check-in, 20 devices) applied by a new kiosk in slices of N facts, each its own
 * transaction as the pull commits them. Per slice size: the wall time, the door thread's CPU, the
 * longest slice, and the WAL bytes written (checkpoints by the kiosk's worker, as in the app).
 *   node tests/bench/pull-apply-probe.ts [--facts 100000] [--slices 20000,2000,500] [--rounds 1]
 */
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { withoutSync } from '../../electron/core/db/without-sync.ts';
import { newKiosk } from '../support/sync-server.ts';
import { syntheticEvents } from './sync-ingest.ts';

const { values } = parseArgs({
  options: {
    facts: { type: 'string', default: '100000' },
    slices: { type: 'string', default: '20000,2000,500' },
    rounds: { type: 'string', default: '1' },
  },
});
const total = Number(values.facts);
const devices = 20;

function once(slice: number): Record<string, number> {
  const k = newKiosk('Probe door');
  try {
    k.kiosk.handlers['event.loadDemo']({});
    const db = k.kiosk.db!;
    const guestIds = db.prepare(`SELECT id FROM guests`).pluck().all() as string[];
    const forumIds = k.kiosk.handlers['forums.list']({}).forums.map((f) => f.id);
    const perDevice = Array.from({ length: devices }, (_, d) =>
      syntheticEvents(`bench_${d}`, guestIds, forumIds, total / devices),
    );
    // Commit order on the server: the devices' batches of 200 interleaved.
    const facts: unknown[] = [];
    for (let at = 0; at < total / devices; at += 200)
      for (const list of perDevice)
        for (const f of list.slice(at, at + 200)) facts.push({ ...f, receivedAt: f.wallMs });
    const engine = k.kiosk.sync!.engine;
    const wal = `${db.name}-wal`;
    let walBytes = 0;
    let lastSize = fs.existsSync(wal) ? fs.statSync(wal).size : 0;
    let longest = 0;
    const cpu = process.cpuUsage();
    const thread = process.threadCpuUsage();
    const t0 = performance.now();
    for (let at = 0; at < facts.length; at += slice) {
      const s = performance.now();
      withoutSync(db, () => db.transaction(() => engine.apply(facts.slice(at, at + slice)))());
      longest = Math.max(longest, performance.now() - s);
      // The WAL file restarts from its start after a checkpoint: growth counts, a shrink or restart does not.
      const size = fs.existsSync(wal) ? fs.statSync(wal).size : 0;
      walBytes += Math.max(0, size - lastSize);
      lastSize = size;
    }
    const ms = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    const usedThread = process.threadCpuUsage(thread);
    return {
      slice,
      ms: Math.round(ms),
      cpuMs: Math.round((used.user + used.system) / 1000),
      threadCpuMs: Math.round((usedThread.user + usedThread.system) / 1000),
      longestMs: Math.round(longest * 10) / 10,
      walMb: Math.round(walBytes / 1e5) / 10,
      facts: db.prepare(`SELECT count(*) FROM facts`).pluck().get() as number,
    };
  } finally {
    k.kiosk.close();
  }
}

for (let r = 0; r < Number(values.rounds); r++) {
  for (const slice of values.slices.split(',').map(Number)) {
    const load = os.loadavg()[0]!.toFixed(2);
    console.log(JSON.stringify({ ...once(slice), load }));
  }
}
process.exit(0);
