/**
 * Sync benchmark (issue 6), in `npm run bench` and alone with `node tests/bench/sync-bench.ts`:
 *   push of 10,000 events from one kiosk ≤ 1 s on loopback (PGlite and PostgreSQL);
 *   server ingest with 20 concurrent kiosks ≥ 10,000 events/s on PostgreSQL, with p99 request latency;
 *   pull of 100,000 events by a new kiosk ≤ 5 s (applied to its projections, cursor saved per page).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SYNC_PROTOCOL_VERSION, type Fact } from '../../shared/sync/protocol.ts';
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
import { figure } from './stats.ts';

const PUSH_EVENTS = 10_000;
const KIOSKS = Number(process.env['BENCH_SYNC_KIOSKS'] ?? 20);
const EVENTS_PER_KIOSK = 5_000;
const BATCH = 200;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const round = (n: number) => Math.round(n * 100) / 100;

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
async function serverProcess(backend: Backend, dataDir: string): Promise<ServerAddress & { stop(): void }> {
  const token = 'lya_bench-admin-token-0123456789abcdefghijklmnopqrstuvwxyz';
  const child = spawn(
    process.execPath,
    // 21 pairings from one address within a minute (the ingest's kiosks): over the default limit of 20.
    [
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
  return { url, adminToken: token, stop: () => child.kill('SIGTERM') };
}

async function pushBench(backend: Backend): Promise<{ pushMs: number; events: number }> {
  const dir = tempDir('bench-server');
  const server = await serverProcess(backend, dir.dir);
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
    server.stop();
  }
}

function syntheticEvents(deviceId: string, guestIds: string[], forumIds: string[], n: number): Fact[] {
  const base = Date.now() - 3_600_000;
  return Array.from({ length: n }, (_, i) => {
    const guestId = guestIds[(i * 7 + deviceId.length) % guestIds.length]!;
    const wallMs = base + i * 10;
    const common = {
      id: randomUUID(),
      deviceId,
      deviceSeq: i + 1,
      guestId,
      hlc: `${String(wallMs).padStart(15, '0')}-00000-${deviceId}`,
      wallMs,
      actor: 'bench',
    };
    // A forum door's day: entries and exits, with a check-in now and then.
    return i % 10 === 0
      ? { ...common, type: 'check_in' as const, payload: { door: deviceId, method: 'scan', code: '' } }
      : {
          ...common,
          type: 'forum_entry' as const,
          payload: {
            forumId: forumIds[i % forumIds.length]!,
            direction: i % 2 === 0 ? 'in' : 'out',
            admittedAnyway: false,
            overrides: [],
          },
        };
  });
}

export async function ingestAndPullBench(server: ServerAddress): Promise<{
  ingestEventsPerSecond: number;
  ingestMs: number;
  requestP50Ms: number;
  requestP99Ms: number;
  pullFacts: number;
  pullMs: number;
  pullRounds: number;
  /** The door thread's longest wait during the pull (a scan arriving then waits this long): one page's apply. */
  pullLongestWaitMs: number;
}> {
  const organiser = newKiosk('Registration');
  organiser.kiosk.handlers['event.loadDemo']({});
  const eventId = await publish(server, organiser.kiosk);
  const guestIds = organiser.kiosk.db!.prepare(`SELECT id FROM guests`).pluck().all() as string[];
  const forumIds = organiser.kiosk.handlers['forums.list']({}).forums.map((f) => f.id);
  organiser.kiosk.close();
  // The late kiosk pairs (and installs the roster) before the day's events exist.
  const late = newKiosk('Late door');
  await late.kiosk.sync!.engine.pair(server.url, await pairingCode(server, eventId, 'Late door'));
  const devices = await Promise.all(
    Array.from({ length: KIOSKS }, async (_, d) => {
      const deviceId = `bench_${d}`;
      const code = await pairingCode(server, eventId, `Door ${d}`);
      const response = await fetch(`${server.url}/v1/pair`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ protocol: SYNC_PROTOCOL_VERSION, code, deviceId }),
      });
      const { token } = (await response.json()) as { token: string };
      return { token, events: syntheticEvents(deviceId, guestIds, forumIds, EVENTS_PER_KIOSK) };
    }),
  );
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    devices.map(async ({ token, events }) => {
      for (let i = 0; i < events.length; i += BATCH) {
        const s = performance.now();
        const response = await fetch(`${server.url}/v1/sync/push`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `b${i}` },
          body: JSON.stringify({ protocol: SYNC_PROTOCOL_VERSION, facts: events.slice(i, i + BATCH) }),
        });
        if (!response.ok) throw new Error(`push failed: ${response.status} ${await response.text()}`);
        await response.arrayBuffer();
        latencies.push(performance.now() - s);
      }
    }),
  );
  const ingestMs = performance.now() - t0;
  const total = KIOSKS * EVENTS_PER_KIOSK;

  try {
    // The timed part: the new kiosk pulls and applies the whole day.
    const before = late.kiosk.db!.prepare(`SELECT count(*) FROM facts`).pluck().get() as number;
    // Event-loop delay while pulling: how long a scan at this door could wait behind a page's apply.
    const waits = monitorEventLoopDelay({ resolution: 10 });
    waits.enable();
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
    if (after < total) throw new Error(`the late kiosk holds ${after} events, expected ≥ ${total} (had ${before})`);
    return {
      ingestEventsPerSecond: Math.round(total / (ingestMs / 1000)),
      ingestMs: round(ingestMs),
      requestP50Ms: round(percentile(latencies, 50)),
      requestP99Ms: round(percentile(latencies, 99)),
      pullFacts: total,
      pullMs: round(pullMs),
      pullRounds: rounds,
      pullLongestWaitMs: round(waits.max / 1e6),
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
type Part = (typeof PARTS)[number];

async function runParts(parts: ReadonlySet<Part>): Promise<Partial<SyncBench>> {
  const out: Partial<SyncBench> = {};
  const pg = parts.has('push-postgres') || parts.has('postgres') ? await startPostgres() : null;
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
      const dir = tempDir('bench-server');
      const pgServer = await serverProcess({ kind: 'postgres', url: await pg!.newDatabase() }, dir.dir);
      out.postgres = await ingestAndPullBench(pgServer).finally(() => pgServer.stop());
    }
    if (parts.has('pglite')) {
      console.error('sync: the same on PGlite…');
      const dir = tempDir('bench-server');
      const pgliteServer = await serverProcess({ kind: 'pglite' }, dir.dir);
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
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '1' }, parts: { type: 'string' } } });
  const asked = (values.parts ?? PARTS.join(',')).split(',');
  const unknown = asked.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`unknown part(s) ${unknown.join(', ')}; parts are ${PARTS.join(', ')}`);
  const rounds: Array<Partial<SyncBench> & { loadAverage: number[] }> = [];
  for (let r = 0; r < Number(values.rounds); r++) {
    const load = os.loadavg()[0]!;
    const result = await runParts(new Set(asked as Part[]));
    rounds.push({ ...result, loadAverage: [round(load), round(os.loadavg()[0]!)] });
    console.error(JSON.stringify(rounds[rounds.length - 1]));
  }
  const numbers = (pick: (r: Partial<SyncBench>) => number | undefined) =>
    rounds.map(pick).filter((v): v is number => v !== undefined);
  const figures = Object.fromEntries(
    Object.entries({
      pushPostgresMs: numbers((r) => r.pushPostgresMs),
      pushPgliteMs: numbers((r) => r.pushPgliteMs),
      ingestPostgresEventsPerSecond: numbers((r) => r.postgres?.ingestEventsPerSecond),
      ingestPostgresRequestP99Ms: numbers((r) => r.postgres?.requestP99Ms),
      pullPostgresMs: numbers((r) => r.postgres?.pullMs),
      pullPostgresLongestWaitMs: numbers((r) => r.postgres?.pullLongestWaitMs),
      pullPgliteMs: numbers((r) => r.pglite?.pullMs),
    })
      .filter(([, v]) => v.length > 0)
      .map(([name, v]) => [name, figure(v)]),
  );
  console.log(JSON.stringify({ rounds, figures }, null, 2));
  process.exit(0);
}
