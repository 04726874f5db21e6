/**
 * Sync benchmark (issue 6), in `npm run bench` and alone with `node tests/bench/sync-bench.ts`:
 *   push of 10,000 events from one kiosk ≤ 1 s on loopback (PGlite and PostgreSQL);
 *   server ingest with 20 concurrent kiosks ≥ 10,000 events/s on PostgreSQL, with p99 request latency;
 *   pull of 100,000 events by a new kiosk ≤ 5 s (applied to its projections, cursor saved per page).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  newKiosk,
  pairingCode,
  publish,
  startPostgres,
  type Backend,
  type ServerAddress,
  type TestKiosk,
} from '../support/sync-server.ts';
import { tempDir } from '../support/temp.ts';
import { postgresCpuMs, postmasterOf, processCpuMs } from './process-cpu.ts';
import { figure } from './stats.ts';
import {
  BATCH,
  benchEvent,
  EVENTS_PER_KIOSK,
  ingest,
  ingestDevices,
  ingestOnlyBench,
  type IngestFigures,
  KIOSKS,
  round,
} from './sync-ingest.ts';

const PUSH_EVENTS = 10_000;

/** Adds `n` real events to a kiosk: check-ins and undos through the core, as at a door. */
function makeEvents(k: TestKiosk, n: number): void {
  const ids = k.kiosk
    .db!.prepare(`SELECT id FROM guests WHERE status = 'active' ORDER BY id`)
    .pluck()
    .all() as string[];
  for (let i = 0; i < n / 2; i++) {
    const guestId = ids[i % ids.length]!;
    k.kiosk.handlers['guests.checkIn']({ guestId });
    k.kiosk.handlers['checkins.undo']({ guestId });
  }
}

/**
 * The server as it runs at an event: its own process (`node server/main.ts`), so the kiosk's and the
 * server's work overlap as they do on two machines, instead of sharing one JavaScript thread.
 */
async function serverProcess(backend: Backend): Promise<ServerAddress & { pid: number; stop(): Promise<void> }> {
  // The server's data folder (~170 MB with PGlite) goes when the server has stopped: 60 runs left behind
  // once filled /tmp's disk.
  const dir = tempDir('bench-server');
  const dataDir = dir.dir;
  const token = 'lya_bench-admin-token-0123456789abcdefghijklmnopqrstuvwxyz';
  // BENCH_SERVER_CPU_PROF=DIR: a CPU profile of the server process in DIR (written when it stops).
  const profile = process.env['BENCH_SERVER_CPU_PROF'];
  const child = spawn(
    process.execPath,
    // 21 pairings from one address within a minute (the ingest's kiosks): over the default limit of 20.
    [
      ...(profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profile]),
      'server/main.ts',
      ...['--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--admin-token', token, '--quiet'],
      ...['--pair-limit', '1000'],
    ],
    {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, DATABASE_URL: backend.kind === 'postgres' ? backend.url : '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    dir.cleanup();
  };
  return { url, adminToken: token, pid: child.pid!, stop };
}

async function pushBench(backend: Backend): Promise<{ pushMs: number; events: number }> {
  const server = await serverProcess(backend);
  const k = newKiosk('Bench door');
  try {
    k.kiosk.handlers['event.loadDemo']({});
    const eventId = await publish(server, k.kiosk);
    await k.kiosk.sync!.engine.pair(server.url, await pairingCode(server, eventId, 'Bench door'));
    makeEvents(k, PUSH_EVENTS);
    // One turn of the event loop before the clock starts: a kept-alive connection the server closed while
    // the kiosk was busy writing facts (over 72 s on a loaded machine) is seen closed, not written on.
    await new Promise((resolve) => setImmediate(resolve));
    const t0 = performance.now();
    const pushed = await k.kiosk.sync!.engine.pushPending();
    const pushMs = performance.now() - t0;
    if (pushed !== PUSH_EVENTS) throw new Error(`pushed ${pushed}, expected ${PUSH_EVENTS}`);
    return { pushMs: round(pushMs), events: pushed };
  } finally {
    k.kiosk.close();
    await server.stop();
  }
}

export async function ingestAndPullBench(
  server: ServerAddress & { pid?: number },
  database?: string,
): Promise<
  IngestFigures & {
    pullFacts: number;
    pullMs: number;
    pullRounds: number;
    /** The door thread's longest wait during the pull (a scan arriving then waits this long): one slice's apply. */
    pullLongestWaitMs: number;
    /**
     * CPU ms during the pull: this process (the new kiosk, its checkpoint worker included), the door's
     * thread alone (what a scan queues behind), the server's process, PostgreSQL's (or null).
     */
    pullCpuMs: { kiosk: number; kioskThread: number; server: number | null; postgres: number | null };
  }
> {
  const { eventId, guestIds, forumIds } = await benchEvent(server);
  // The late kiosk pairs (and installs the roster) before the day's events exist.
  const late = newKiosk('Late door');
  await late.kiosk.sync!.engine.pair(server.url, await pairingCode(server, eventId, 'Late door'));
  const devices = await ingestDevices(server, eventId, guestIds, forumIds);
  const ingested = await ingest(server, devices, BATCH);
  const total = KIOSKS * EVENTS_PER_KIOSK;

  try {
    // The timed part: the new kiosk pulls and applies the whole day.
    const before = late.kiosk.db!.prepare(`SELECT count(*) FROM facts`).pluck().get() as number;
    // Event-loop delay while pulling: how long a scan at this door could wait behind a page's apply.
    const waits = monitorEventLoopDelay({ resolution: 10 });
    waits.enable();
    const postmaster = database === undefined ? null : postmasterOf(database);
    const cpu = () => ({
      server: server.pid === undefined ? null : processCpuMs(server.pid),
      postgres: postmaster === null ? null : postgresCpuMs(postmaster),
    });
    const cpuBefore = { ...cpu(), kiosk: process.cpuUsage(), kioskThread: process.threadCpuUsage() };
    const t1 = performance.now();
    // One round reads up to what has settled in commit order; a transaction still open on the server
    // (autovacuum's ANALYZE after a bulk load takes an xid) holds later rows back until the next round.
    let rounds = 0;
    let after = 0;
    while (after < total && rounds < 20) {
      await late.kiosk.sync!.engine.syncOnce();
      rounds += 1;
      after = late.kiosk.db!.prepare(`SELECT count(*) FROM facts`).pluck().get() as number;
    }
    const pullMs = performance.now() - t1;
    waits.disable();
    const cpuAfter = cpu();
    const kioskCpu = process.cpuUsage(cpuBefore.kiosk);
    const threadCpu = process.threadCpuUsage(cpuBefore.kioskThread);
    const spent = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.round(b - a));
    if (after < total) throw new Error(`the late kiosk holds ${after} events, expected ≥ ${total} (had ${before})`);
    return {
      ...ingested,
      pullFacts: total,
      pullMs: round(pullMs),
      pullRounds: rounds,
      pullLongestWaitMs: round(waits.max / 1e6),
      pullCpuMs: {
        kiosk: Math.round((kioskCpu.user + kioskCpu.system) / 1000),
        kioskThread: Math.round((threadCpu.user + threadCpu.system) / 1000),
        server: spent(cpuBefore.server, cpuAfter.server),
        postgres: spent(cpuBefore.postgres, cpuAfter.postgres),
      },
    };
  } finally {
    late.kiosk.close();
  }
}

export interface SyncBench {
  pushPgliteMs: number;
  pushPostgresMs: number;
  postgres: Awaited<ReturnType<typeof ingestAndPullBench>>;
  pglite: Awaited<ReturnType<typeof ingestAndPullBench>>;
}

/** The parts of one round; `node tests/bench/sync-bench.ts --parts push-postgres,postgres` runs a few. */
const PARTS = ['push-pglite', 'push-postgres', 'postgres', 'pglite'] as const;
/** Alone only (not in `npm run bench`): the ingest on PostgreSQL without the pull, with its CPU per fact. */
const EXTRA_PARTS = ['ingest'] as const;
type Part = (typeof PARTS)[number] | (typeof EXTRA_PARTS)[number];

async function runParts(
  parts: ReadonlySet<Part>,
  batch = BATCH,
): Promise<Partial<SyncBench> & { ingest?: Awaited<ReturnType<typeof ingestOnlyBench>> }> {
  const out: Partial<SyncBench> & { ingest?: Awaited<ReturnType<typeof ingestOnlyBench>> } = {};
  const pg = parts.has('push-postgres') || parts.has('postgres') || parts.has('ingest') ? await startPostgres() : null;
  try {
    if (parts.has('push-pglite') || parts.has('push-postgres')) {
      console.error(
        `sync: push of ${PUSH_EVENTS} events (${[...parts].filter((p) => p.startsWith('push-')).join(', ')})…`,
      );
    }
    if (parts.has('push-pglite')) out.pushPgliteMs = (await pushBench({ kind: 'pglite' })).pushMs;
    if (parts.has('push-postgres')) {
      out.pushPostgresMs = (await pushBench({ kind: 'postgres', url: await pg!.newDatabase() })).pushMs;
    }
    // The server in its own process, as for the push: the 20 kiosks and the late kiosk are other machines.
    if (parts.has('postgres')) {
      console.error(`sync: ${KIOSKS} kiosks × ${EVENTS_PER_KIOSK} events on PostgreSQL, then a new kiosk pulls them…`);
      const url = await pg!.newDatabase();
      const pgServer = await serverProcess({ kind: 'postgres', url });
      out.postgres = await ingestAndPullBench(pgServer, new URL(url).pathname.slice(1)).finally(() => pgServer.stop());
    }
    if (parts.has('ingest')) {
      console.error(`sync: ${KIOSKS} kiosks × ${EVENTS_PER_KIOSK} events on PostgreSQL in batches of ${batch}…`);
      const url = await pg!.newDatabase();
      const server = await serverProcess({ kind: 'postgres', url });
      out.ingest = await ingestOnlyBench(server, new URL(url).pathname.slice(1), batch).finally(() => server.stop());
    }
    if (parts.has('pglite')) {
      console.error('sync: the same on PGlite…');
      const pgliteServer = await serverProcess({ kind: 'pglite' });
      out.pglite = await ingestAndPullBench(pgliteServer).finally(() => pgliteServer.stop());
    }
    return out;
  } finally {
    await pg?.stop();
  }
}

export async function runSyncBench(): Promise<SyncBench> {
  return (await runParts(new Set(PARTS))) as SyncBench;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // Alone: `--rounds N` (default 1) and `--parts` (default all); every round's figures with the load average.
  // `--batch N`: the ingest part's push batch size (200 by default, as a kiosk sends).
  const { values } = parseArgs({
    options: { rounds: { type: 'string', default: '1' }, parts: { type: 'string' }, batch: { type: 'string' } },
  });
  const asked = (values.parts ?? PARTS.join(',')).split(',');
  const known: readonly string[] = [...PARTS, ...EXTRA_PARTS];
  const unknown = asked.filter((p) => !known.includes(p));
  if (unknown.length > 0) throw new Error(`unknown part(s) ${unknown.join(', ')}; parts are ${known.join(', ')}`);
  const rounds: Array<Awaited<ReturnType<typeof runParts>> & { loadAverage: number[] }> = [];
  for (let r = 0; r < Number(values.rounds); r++) {
    const load = os.loadavg()[0]!;
    const result = await runParts(new Set(asked as Part[]), Number(values.batch ?? BATCH));
    rounds.push({ ...result, loadAverage: [round(load), round(os.loadavg()[0]!)] });
    console.error(JSON.stringify(rounds[rounds.length - 1]));
  }
  const numbers = (pick: (r: (typeof rounds)[number]) => number | undefined) =>
    rounds.map(pick).filter((v): v is number => v !== undefined);
  const figures = Object.fromEntries(
    Object.entries({
      pushPostgresMs: numbers((r) => r.pushPostgresMs),
      pushPgliteMs: numbers((r) => r.pushPgliteMs),
      ingestPostgresEventsPerSecond: numbers((r) => r.postgres?.ingestEventsPerSecond),
      ingestPostgresRequestP99Ms: numbers((r) => r.postgres?.requestP99Ms),
      ingestOnlyEventsPerSecond: numbers((r) => r.ingest?.ingestEventsPerSecond),
      ingestOnlyRequestP99Ms: numbers((r) => r.ingest?.requestP99Ms),
      ingestCpuMsPer1000Server: numbers((r) => r.ingest?.cpuMsPer1000Facts?.server),
      ingestCpuMsPer1000Postgres: numbers((r) => r.ingest?.cpuMsPer1000Facts?.postgres),
      ingestCpuMsPer1000Kiosks: numbers((r) => r.ingest?.cpuMsPer1000Facts?.kiosks),
      pullPostgresMs: numbers((r) => r.postgres?.pullMs),
      pullPostgresLongestWaitMs: numbers((r) => r.postgres?.pullLongestWaitMs),
      pullCpuMsKiosk: numbers((r) => r.postgres?.pullCpuMs.kiosk),
      pullCpuMsKioskThread: numbers((r) => r.postgres?.pullCpuMs.kioskThread),
      pullCpuMsServer: numbers((r) => r.postgres?.pullCpuMs.server ?? undefined),
      pullCpuMsPostgres: numbers((r) => r.postgres?.pullCpuMs.postgres ?? undefined),
      pullPgliteMs: numbers((r) => r.pglite?.pullMs),
    })
      .filter(([, v]) => v.length > 0)
      .map(([name, v]) => [name, figure(v)]),
  );
  console.log(JSON.stringify({ rounds, figures }, null, 2));
  process.exit(0);
}
