/**
 * The ingest side of the sync bench (sync-bench.ts): synthetic facts of a forum door's day, 20 paired
 * kiosks each pushing theirs in batches at once with every request timed, and the ingest alone with the
 * CPU each side spent per 1,000 facts (`node tests/bench/sync-bench.ts --parts ingest`).
 */
import { randomUUID } from 'node:crypto';
import { SYNC_PROTOCOL_VERSION, type Fact } from '../../shared/sync/protocol.ts';
import { newKiosk, pairingCode, publish, type ServerAddress } from '../support/sync-server.ts';
import { postgresCpuMs, postmasterOf, processCpuMs } from './process-cpu.ts';

export const KIOSKS = Number(process.env['BENCH_SYNC_KIOSKS'] ?? 20);
export const EVENTS_PER_KIOSK = 5_000;
export const BATCH = 200;

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
export const round = (n: number) => Math.round(n * 100) / 100;

export function syntheticEvents(deviceId: string, guestIds: string[], forumIds: string[], n: number): Fact[] {
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

/** 20 paired kiosks (ids bench_0 …) and the day's facts of each, made before any clock starts. */
export async function ingestDevices(
  server: ServerAddress,
  eventId: string,
  guestIds: string[],
  forumIds: string[],
): Promise<Array<{ token: string; events: Fact[] }>> {
  return Promise.all(
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
}

export interface IngestFigures {
  ingestEventsPerSecond: number;
  ingestMs: number;
  requestP50Ms: number;
  requestP99Ms: number;
}

/** Every kiosk pushes its facts in batches of `batch`, all kiosks at once; each request is timed. */
export async function ingest(
  server: ServerAddress,
  devices: Array<{ token: string; events: Fact[] }>,
  batch: number,
): Promise<IngestFigures> {
  const latencies: number[] = [];
  // Each kiosk's request bodies are written before the clock starts: at an event every kiosk builds its
  // own on its own machine, while here the 20 share the server's two cores (and its CPU per fact).
  const requests = devices.map(({ token, events }) => ({
    token,
    bodies: Array.from({ length: Math.ceil(events.length / batch) }, (_, b) =>
      JSON.stringify({ protocol: SYNC_PROTOCOL_VERSION, facts: events.slice(b * batch, (b + 1) * batch) }),
    ),
  }));
  const t0 = performance.now();
  await Promise.all(
    requests.map(async ({ token, bodies }) => {
      for (const [b, body] of bodies.entries()) {
        const s = performance.now();
        const response = await fetch(`${server.url}/v1/sync/push`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'idempotency-key': `b${b * batch}`,
          },
          body,
        });
        if (!response.ok) throw new Error(`push failed: ${response.status} ${await response.text()}`);
        await response.arrayBuffer();
        latencies.push(performance.now() - s);
      }
    }),
  );
  const ingestMs = performance.now() - t0;
  const total = devices.reduce((n, d) => n + d.events.length, 0);
  return {
    ingestEventsPerSecond: Math.round(total / (ingestMs / 1000)),
    ingestMs: round(ingestMs),
    requestP50Ms: round(percentile(latencies, 50)),
    requestP99Ms: round(percentile(latencies, 99)),
  };
}

/** The published demo event's id, guests and forums, for synthetic facts. */
export async function benchEvent(
  server: ServerAddress,
): Promise<{ eventId: string; guestIds: string[]; forumIds: string[] }> {
  const organiser = newKiosk('Registration');
  try {
    organiser.kiosk.handlers['event.loadDemo']({});
    const eventId = await publish(server, organiser.kiosk);
    const guestIds = organiser.kiosk.db!.prepare(`SELECT id FROM guests`).pluck().all() as string[];
    const forumIds = organiser.kiosk.handlers['forums.list']({}).forums.map((f) => f.id);
    return { eventId, guestIds, forumIds };
  } finally {
    organiser.kiosk.close();
  }
}

/**
 * The ingest alone (`--parts ingest`, `--batch N`), with the CPU each side spent per 1,000 facts: this
 * process (the 20 kiosks' requests), the server's process and PostgreSQL's. On a shared machine the rate
 * swings with the load; the CPU per fact mostly does not.
 */
export async function ingestOnlyBench(
  server: ServerAddress & { pid: number },
  database: string,
  batch: number,
): Promise<IngestFigures & { cpuMsPer1000Facts: { kiosks: number; server: number; postgres: number } | null }> {
  const { eventId, guestIds, forumIds } = await benchEvent(server);
  const devices = await ingestDevices(server, eventId, guestIds, forumIds);
  const postmaster = postmasterOf(database);
  const cpu = () => ({
    kiosks: process.cpuUsage(),
    server: processCpuMs(server.pid),
    postgres: postmaster === null ? null : postgresCpuMs(postmaster),
  });
  const before = cpu();
  const figures = await ingest(server, devices, batch);
  const after = cpu();
  const per1000 = (ms: number) => round((ms * 1000) / (KIOSKS * EVENTS_PER_KIOSK));
  const kiosksCpu = process.cpuUsage(before.kiosks);
  return {
    ...figures,
    cpuMsPer1000Facts:
      before.server === null || after.server === null || before.postgres === null || after.postgres === null
        ? null
        : {
            kiosks: per1000((kiosksCpu.user + kiosksCpu.system) / 1000),
            server: per1000(after.server - before.server),
            postgres: per1000(after.postgres - before.postgres),
          },
  };
}
