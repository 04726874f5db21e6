import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { newKiosk, pairingCode, startTestServer, type TestKiosk, type TestServer } from '../../support/sync-server.ts';

/**
 * A kept-alive connection the server has closed fails the request written on it ("other side closed",
 * or a reset): the server closed it as the request arrived, or its FIN was still on the way (or lost
 * while the laptop slept) when the kiosk reused it. A push carries an Idempotency-Key and a pull only
 * reads, so a request of theirs that was never answered goes out once more on a fresh connection; a
 * pairing is never sent twice (its code is spent once).
 */
let server: TestServer;
let proxy: FaultProxy;
const kiosks: TestKiosk[] = [];
let eventId = '';

beforeAll(async () => {
  server = await startTestServer({ kind: 'pglite' });
  proxy = await startFaultProxy({ upstreamPort: server.port, seed: 6 });
}, 60_000);
afterAll(async () => {
  for (const k of kiosks) k.kiosk.close();
  await proxy.close();
  await server.close();
});

describe('a kept-alive connection the server closed', () => {
  it('push and pull are sent again on a fresh connection; the server stores each fact once', async () => {
    const cluster = await clusterThrough(server, proxy.url, ['North', 'South']);
    kiosks.push(...cluster.kiosks);
    eventId = cluster.eventId;
    const [north, south] = cluster.kiosks as [TestKiosk, TestKiosk];
    const ids = north.kiosk
      .db!.prepare(`SELECT id FROM guests WHERE status = 'active' ORDER BY id LIMIT 30`)
      .pluck()
      .all() as string[];
    doorTraffic(north, ids, 20, 0);
    expect(await attemptSync(north)).toBe('ok');
    expect(await attemptSync(south)).toBe('ok');

    // North scans on; then every connection the kiosks keep open is closed by the far side as it is reused.
    doorTraffic(north, ids, 15, 20);
    proxy.record(true);
    proxy.setFault({ kind: 'close-kept-alive' });
    const connectionsBefore = proxy.stats.connections;
    expect(await attemptSync(north)).toBe('ok');
    expect(proxy.stats.keptAliveClosed).toBeGreaterThanOrEqual(1);
    expect(proxy.stats.connections).toBeGreaterThan(connectionsBefore);
    // South has nothing to push: its pull met a closed connection and was read again.
    proxy.setFault({ kind: 'close-kept-alive' });
    const closedBefore = proxy.stats.keptAliveClosed;
    expect(await attemptSync(south)).toBe('ok');
    expect(proxy.stats.keptAliveClosed).toBeGreaterThan(closedBefore);
    proxy.record(false);

    // The push that reached the server did so once, with its key; nothing is held twice, all is acked.
    const pushes = proxy.recordings.flatMap(httpExchanges).filter((x) => x.path === '/v1/sync/push');
    expect(pushes.map((x) => x.status)).toEqual([200]);
    const facts = await syncFacts(server, eventId, cluster.kiosks);
    expect(facts.ownCounts).toEqual([35, 0]);
    expect(facts.serverIds).toEqual(facts.kioskIds);
    expect(facts.duplicateSeqs).toBe(0);
    expect(facts.pending).toEqual([0, 0]);
    expect(facts.acked[0]).toEqual({ kiosk: 35, server: 35, last: 35 });
    expect(facts.localTotals).toEqual([facts.serverTotal, facts.serverTotal]);
    expect(facts.states[1]).toEqual(facts.states[0]);
    expect(deviceIdOf(north)).not.toBe(deviceIdOf(south));
  });

  it('a pairing is not sent twice: it fails, and its code is still good', async () => {
    const late = newKiosk('Late door');
    kiosks.push(late);
    // A kept-alive connection to the proxy for the pairing to be written on.
    proxy.heal();
    expect(await attemptSync(kiosks[0]!)).toBe('ok');
    const code = await pairingCode(server, eventId, 'Late door');
    proxy.setFault({ kind: 'close-kept-alive' });
    const closedBefore = proxy.stats.keptAliveClosed;
    const connectionsBefore = proxy.stats.connections;
    const failed = await late.kiosk.sync!.engine.pair(proxy.url, code).then(
      () => 'paired',
      (error: { code?: string }) => error.code,
    );
    expect(failed).toBe('server_unreachable');
    expect(proxy.stats.keptAliveClosed).toBe(closedBefore + 1);
    expect(proxy.stats.connections).toBe(connectionsBefore);
    // The server never saw it: the same code pairs the kiosk once the network is well.
    proxy.heal();
    await late.kiosk.sync!.engine.pair(proxy.url, code);
    expect(late.kiosk.sync!.engine.status().state).toBe('online');
  });
});
