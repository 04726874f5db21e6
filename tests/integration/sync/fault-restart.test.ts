import { afterEach, describe, expect, it } from 'vitest';
import type { KeptAnswer } from '../../../server/store/fact-push-answer.ts';
import {
  attemptSync,
  clusterThrough,
  deviceIdOf,
  doorTraffic,
  startFaultProxy,
  syncFacts,
} from '../../support/fault-proxy.ts';
import { guestIds, startTestServer, type TestKiosk, type TestServer } from '../../support/sync-server.ts';

/**
 * R28/R6: the server goes away in the middle of a kiosk's long push (10 batches) and comes back from
 * its data directory on another port; the kiosk's proxy is pointed at it. Batches committed before the
 * restart are not stored twice, the rest arrive, every kiosk converges.
 */
const kiosksToClose: TestKiosk[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const k of kiosksToClose.splice(0)) k.kiosk.close();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const DOORS = ['North', 'South', 'Forum hall'];

describe('server restart in the middle of a long push', () => {
  it('2,000 events in 10 batches, the server restarted (on a new port) mid-way: no loss, no duplicates', async () => {
    let server = await startTestServer({ kind: 'pglite' });
    cleanups.push(() => server.close());
    const proxy = await startFaultProxy({ upstreamPort: server.port });
    cleanups.push(() => proxy.close());
    const { eventId, kiosks } = await clusterThrough(server, proxy.url, DOORS);
    kiosksToClose.push(...kiosks);
    const [a, b, c] = kiosks as [TestKiosk, TestKiosk, TestKiosk];
    const ids = guestIds(a, 150);
    doorTraffic(a, ids, 2000, 0);
    doorTraffic(b, ids, 30, 50);
    doorTraffic(c, ids, 30, 90);
    const aId = deviceIdOf(a);
    const storedFromA = async (s: TestServer) =>
      (await s.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM fact_log WHERE device_id = $1`, [aId]))[0]!.n;

    const push = attemptSync(a);
    let seen = 0;
    for (let i = 0; i < 1000 && seen === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen = await storedFromA(server);
    }
    // Caught mid-push: some batches are in, not all.
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(2000);
    // The answer to the batch in flight is lost, and the server goes down and comes back elsewhere.
    proxy.setFault({ kind: 'cut', afterBytes: 0 });
    server = await server.restart();
    proxy.setUpstream(server.port);
    expect(await push).toBe('server_unreachable');
    // What was committed before the restart is still there (and nothing more arrived).
    const afterRestart = await storedFromA(server);
    expect(afterRestart).toBeGreaterThanOrEqual(seen);
    expect(afterRestart).toBeLessThan(2000);
    // The kiosk heard of at most what the server holds (less if the answer to the last batch was cut
    // rather than the next batch refused: which of the two happens is a race, both are fine).
    expect(a.kiosk.sync!.engine.status().pending).toBeGreaterThanOrEqual(2000 - afterRestart);

    doorTraffic(b, ids, 10, 120);
    proxy.heal();
    for (let round = 0; round < 2; round++) {
      for (const k of kiosks) await k.kiosk.sync!.engine.syncOnce();
    }
    const facts = await syncFacts(server, eventId, kiosks);
    const total = facts.ownCounts.reduce((sum, n) => sum + n, 0);
    expect(facts.ownCounts[0]).toBe(2000);
    expect(facts.serverIds.length).toBe(total);
    expect(facts.serverTotal).toBe(total);
    expect(facts.serverIds).toEqual(facts.kioskIds);
    expect(facts.duplicateSeqs).toBe(0);
    expect(facts.pending).toEqual([0, 0, 0]);
    for (const x of facts.acked) expect(x).toEqual({ kiosk: x.last, server: x.last, last: x.last });
    expect(facts.localTotals).toEqual([total, total, total]);
    expect(facts.states[1]).toEqual(facts.states[0]);
    expect(facts.states[2]).toEqual(facts.states[0]);

    // A's 2,000 events went in 10 batches of at most 200, each processed once: every event is "stored"
    // in exactly one batch's answer (a batch replayed after the lost answer did not get a second record).
    // The key records keep each answer's size and its outcomes other than "stored" (fact-push-answer.ts).
    const batches = await server.sql.query<{ response: KeptAnswer }>(
      `SELECT response FROM idempotency_keys WHERE device_id = $1`,
      [aId],
    );
    expect(batches.length).toBe(10);
    for (const batch of batches) expect(batch.response.n).toBeLessThanOrEqual(200);
    const stored = batches.map((batch) => batch.response.n - batch.response.others.length);
    expect(stored.reduce((sum, n) => sum + n, 0)).toBe(2000);
    expect(batches.reduce((sum, batch) => sum + batch.response.n, 0)).toBe(2000);
  });
});
