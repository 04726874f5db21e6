import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PushResponse } from '../../../shared/sync/protocol.ts';
import {
  attemptSync,
  clusterThrough,
  deviceIdOf,
  doorTraffic,
  httpExchanges,
  startFaultProxy,
  syncFacts,
  type FaultProxy,
} from '../../support/fault-proxy.ts';
import { startTestServer, type TestKiosk, type TestServer } from '../../support/sync-server.ts';

/**
 * R28 (network fault matrix) and R6 (a lost answer is replayed, never applied twice): the real server,
 * three real kiosk cores paired through a fault-injecting TCP proxy. For each fault: door traffic
 * offline and while the fault is on, sync attempts that may fail, then heal and sync every kiosk twice →
 * the server holds every kiosk event exactly once, every kiosk's events are acked, all kiosks agree.
 */
let server: TestServer;
let proxy: FaultProxy;
const kiosksToClose: TestKiosk[] = [];

beforeAll(async () => {
  server = await startTestServer({ kind: 'pglite' });
}, 60_000);
afterEach(async () => {
  for (const k of kiosksToClose.splice(0)) k.kiosk.close();
  await proxy.close();
});
afterAll(async () => {
  await server.close();
});

const DOORS = ['North', 'South', 'Forum hall'];

/**
 * One server for the file (its start is the slow part); the demo event has one id, so every test's
 * kiosks join the same event log, with the earlier tests' events in it. A fresh proxy per test.
 */
async function setup(): Promise<{ eventId: string; kiosks: TestKiosk[]; ids: string[] }> {
  proxy = await startFaultProxy({ upstreamPort: server.port, seed: 28 });
  const { eventId, kiosks } = await clusterThrough(server, proxy.url, DOORS);
  kiosksToClose.push(...kiosks);
  // Guests the earlier tests left outside: this test's doors work with these.
  const ids = kiosks[0]!.kiosk
    .db!.prepare(
      `SELECT id FROM guests WHERE status = 'active'
         AND id NOT IN (SELECT guest_id FROM attendance WHERE live_checkins > 0) ORDER BY id LIMIT 40`,
    )
    .pluck()
    .all() as string[];
  expect(ids.length).toBe(40);
  return { eventId, kiosks, ids };
}

/** Each door scans its own guests and some shared ones (duplicates across doors, undos on repeats). */
function traffic(kiosks: TestKiosk[], ids: string[], perKiosk: number, round: number): void {
  kiosks.forEach((k, i) => doorTraffic(k, ids, perKiosk, i * 13 + round * perKiosk));
}

async function healAndConverge(eventId: string, kiosks: TestKiosk[]): Promise<void> {
  proxy.heal();
  for (let round = 0; round < 2; round++) {
    for (const k of kiosks) await k.kiosk.sync!.engine.syncOnce();
  }
  const facts = await syncFacts(server, eventId, kiosks);
  const total = facts.ownCounts.reduce((s, n) => s + n, 0);
  expect(total).toBeGreaterThan(0);
  expect(facts.serverIds.length).toBe(total);
  expect(facts.serverIds).toEqual(facts.kioskIds);
  expect(facts.duplicateSeqs).toBe(0);
  expect(facts.pending).toEqual(kiosks.map(() => 0));
  expect(facts.rejected).toEqual(kiosks.map(() => 0));
  for (const a of facts.acked) expect(a).toEqual({ kiosk: a.last, server: a.last, last: a.last });
  expect(facts.localTotals).toEqual(kiosks.map(() => facts.serverTotal));
  for (const state of facts.states.slice(1)) expect(state).toEqual(facts.states[0]);
  for (const k of kiosks) expect(k.kiosk.sync!.engine.status().state).toBe('online');
}

/** Events the server holds from these kiosks (or this one). */
async function serverCount(kiosks: TestKiosk | TestKiosk[]): Promise<number> {
  const devices = (Array.isArray(kiosks) ? kiosks : [kiosks]).map(deviceIdOf);
  const rows = await server.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM fact_log WHERE device_id = ANY($1::text[])`,
    [devices],
  );
  return rows[0]!.n;
}

describe('sync through a faulty network converges: every event once, all acked, same state', () => {
  it('connection resets, on accept and after part of the request', async () => {
    const { eventId, kiosks, ids } = await setup();
    traffic(kiosks, ids, 25, 0);

    proxy.setFault({ kind: 'reset' });
    const resetsBefore = proxy.stats.resets;
    expect(await Promise.all(kiosks.map(attemptSync))).toEqual(kiosks.map(() => 'server_unreachable'));
    expect(proxy.stats.resets).toBeGreaterThan(resetsBefore);
    expect(await serverCount(kiosks)).toBe(0);
    traffic(kiosks, ids, 10, 1);

    // Headers and part of the body reach the server, then RST: a torn request is never stored.
    proxy.setFault({ kind: 'reset', afterBytes: 400 });
    expect(await Promise.all(kiosks.map(attemptSync))).toEqual(kiosks.map(() => 'server_unreachable'));
    expect(await serverCount(kiosks)).toBe(0);
    for (const k of kiosks) expect(k.kiosk.sync!.engine.status().pending).toBe(35);
    traffic(kiosks, ids, 10, 2);

    await healAndConverge(eventId, kiosks);
  });

  it('answer cut after the server committed: the retry gets the stored answer, nothing stored twice', async () => {
    const { eventId, kiosks, ids } = await setup();
    const [a, b, c] = kiosks as [TestKiosk, TestKiosk, TestKiosk];
    doorTraffic(a, ids, 25, 0);
    doorTraffic(b, ids, 12, 25);
    const aId = deviceIdOf(a);
    const bId = deviceIdOf(b);
    const keysOf = async (deviceId: string) =>
      server.sql.query<{ key: string; created_ms: number }>(
        `SELECT key, created_ms::float8 AS created_ms FROM idempotency_keys WHERE device_id = $1`,
        [deviceId],
      );

    proxy.record(true);
    const recordedFrom = proxy.recordings.length;
    // A: not one byte of the answer arrives. B: the head and part of the body arrive.
    proxy.setFault({ kind: 'cut', afterBytes: 0 });
    expect(await attemptSync(a)).toBe('server_unreachable');
    // 700 bytes: past the answer's head (security headers included), well inside its body.
    proxy.setFault({ kind: 'cut', afterBytes: 700 });
    expect(await attemptSync(b)).toBe('server_unreachable');
    expect(proxy.stats.cuts).toBeGreaterThanOrEqual(2);

    // The server committed both batches; the kiosks never heard, so they still count them as pending.
    expect(await serverCount(a)).toBe(25);
    expect(await serverCount(b)).toBe(12);
    expect(a.kiosk.sync!.engine.status().pending).toBe(25);
    expect(b.kiosk.sync!.engine.status().pending).toBe(12);
    // The server's watermark moved, the kiosks' did not.
    expect((await syncFacts(server, eventId, [a, b])).acked).toEqual([
      { kiosk: 0, server: 25, last: 25 },
      { kiosk: 0, server: 12, last: 12 },
    ]);
    const [aKey] = await keysOf(aId);
    const [bKey] = await keysOf(bId);
    expect(aKey).toBeDefined();
    expect(bKey).toBeDefined();

    proxy.heal();
    expect(await attemptSync(a)).toBe('ok');
    expect(await attemptSync(b)).toBe('ok');
    proxy.record(false);

    for (const [kiosk, key, count] of [
      [a, aKey!, 25],
      [b, bKey!, 12],
    ] as const) {
      // Nothing inserted twice, no second batch recorded.
      expect(await serverCount(kiosk)).toBe(count);
      expect(await keysOf(deviceIdOf(kiosk))).toEqual([key]);
      const pushes = proxy.recordings
        .slice(recordedFrom)
        .flatMap((r) => httpExchanges(r).map((x) => ({ ...x, connection: r.id })))
        .filter((x) => x.path === '/v1/sync/push' && x.requestHeaders['idempotency-key'] === key.key);
      // A's answer never began: the push went out once more at once, on a fresh connection (cut as well).
      // B's answer had begun (its head arrived): never repeated within the attempt. Then, healed, the next
      // round's retry — always with the same key and the same body.
      const cutAttempts = kiosk === a ? 2 : 1;
      expect(pushes.map((x) => x.status)).toEqual([...Array.from({ length: cutAttempts }, () => null), 200]);
      if (kiosk === a) expect(pushes[1]!.connection).not.toBe(pushes[0]!.connection);
      for (const p of pushes) expect(p.requestBody).toBe(pushes[0]!.requestBody);
      // The stored answer: made when the batch was committed, saying "stored" for events that, on a
      // fresh run, would now be duplicates.
      const replayed = JSON.parse(pushes[cutAttempts]!.responseBody!) as PushResponse;
      expect(replayed.serverTime).toBe(key.created_ms);
      expect(replayed.results.map((r) => r.status)).toEqual(Array.from({ length: count }, () => 'stored'));
      expect(replayed.ackedThrough).toBe(count);
    }
    // A cut within the answer's body: the head arrived whole, the body did not.
    const cutInBody = proxy.recordings
      .slice(recordedFrom)
      .map((r) => Buffer.concat(r.down).toString('latin1'))
      .filter((d) => d.length === 700);
    expect(cutInBody.length).toBeGreaterThanOrEqual(1);
    expect(cutInBody[0]).toContain('\r\n\r\n');
    // Ack state matches: the kiosks now know what the server holds.
    expect(a.kiosk.sync!.engine.status().pending).toBe(0);
    expect(b.kiosk.sync!.engine.status().pending).toBe(0);
    expect((await syncFacts(server, eventId, [a, b])).acked).toEqual([
      { kiosk: 25, server: 25, last: 25 },
      { kiosk: 12, server: 12, last: 12 },
    ]);

    // And later answers cut mid-way while all three keep scanning.
    proxy.setFault({ kind: 'cut', afterBytes: 200 });
    traffic(kiosks, ids, 15, 1);
    await Promise.all(kiosks.map(attemptSync));
    doorTraffic(c, ids, 5, 30);
    await healAndConverge(eventId, kiosks);
  });

  it('latency with jitter, all three syncing at once while the doors keep scanning', async () => {
    const { eventId, kiosks, ids } = await setup();
    traffic(kiosks, ids, 30, 0);
    proxy.setFault({ kind: 'latency', ms: 40, jitterMs: 35 });
    const started = Date.now();
    const syncs = Promise.all(kiosks.map(attemptSync));
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      traffic(kiosks, ids, 2, 20 + i);
    }
    // Slow is not broken: every attempt succeeds.
    expect(await syncs).toEqual(kiosks.map(() => 'ok'));
    expect(Date.now() - started).toBeGreaterThan(80);
    await healAndConverge(eventId, kiosks);
  });

  it('a hang: timed-out connections fail fast; held requests complete once the network heals', async () => {
    const { eventId, kiosks, ids } = await setup();
    traffic(kiosks, ids, 20, 0);

    proxy.setFault({ kind: 'hang', resetAfterMs: 300 });
    const started = Date.now();
    expect(await Promise.all(kiosks.map(attemptSync))).toEqual(kiosks.map(() => 'server_unreachable'));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await serverCount(kiosks)).toBe(0);

    // A black hole with no timeout: the requests wait in the proxy while the doors keep scanning.
    proxy.setFault({ kind: 'hang' });
    const hungBefore = proxy.stats.hung;
    const syncs = Promise.all(kiosks.map(attemptSync));
    for (let i = 0; i < 100 && proxy.stats.hung < hungBefore + kiosks.length; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(proxy.stats.hung).toBe(hungBefore + kiosks.length);
    traffic(kiosks, ids, 10, 1);
    expect(await serverCount(kiosks)).toBe(0);
    proxy.heal();
    expect(await syncs).toEqual(kiosks.map(() => 'ok'));
    await healAndConverge(eventId, kiosks);
  });

  it('low bandwidth', async () => {
    const { eventId, kiosks, ids } = await setup();
    traffic(kiosks, ids, 40, 0);
    proxy.setFault({ kind: 'bandwidth', bytesPerSecond: 200_000 });
    const bytesBefore = proxy.stats.bytesDown;
    const started = Date.now();
    expect(await Promise.all(kiosks.map(attemptSync))).toEqual(kiosks.map(() => 'ok'));
    // The paced bytes took their time.
    const seconds = (Date.now() - started) / 1000;
    expect(proxy.stats.bytesDown - bytesBefore).toBeGreaterThan(50_000);
    expect((proxy.stats.bytesDown - bytesBefore) / seconds).toBeLessThan(200_000 * 1.1);
    traffic(kiosks, ids, 10, 1);
    await healAndConverge(eventId, kiosks);
  });

  it('a random mix of faults per connection over several rounds of scanning', async () => {
    const { eventId, kiosks, ids } = await setup();
    proxy.setFault({
      kind: 'random',
      choices: [
        { kind: 'pass' },
        { kind: 'reset' },
        { kind: 'reset', afterBytes: 250 },
        { kind: 'cut', afterBytes: 0 },
        { kind: 'cut', afterBytes: 180 },
        { kind: 'latency', ms: 15, jitterMs: 15 },
        { kind: 'hang', resetAfterMs: 100 },
      ],
    });
    const before = { resets: proxy.stats.resets, cuts: proxy.stats.cuts };
    const outcomes: string[] = [];
    for (let round = 0; round < 6; round++) {
      traffic(kiosks, ids, 8, round);
      outcomes.push(...(await Promise.all(kiosks.map(attemptSync))));
    }
    // The faults bit: attempts failed, connections were reset and answers cut.
    expect(outcomes).toContain('server_unreachable');
    expect(proxy.stats.resets).toBeGreaterThan(before.resets);
    expect(proxy.stats.cuts).toBeGreaterThan(before.cuts);
    await healAndConverge(eventId, kiosks);
  });
});
