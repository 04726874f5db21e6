import { afterEach, describe, expect, it } from 'vitest';
import type { EventStats } from '../../../shared/sync/protocol.ts';
import { deviceIdOf, doorTraffic } from '../../support/fault-proxy.ts';
import { attemptRelay, closedAfter, duplicateSeqs, pairWithHub, startVenue } from '../../support/relay-hub.ts';
import {
  adminGet,
  codeOf,
  guestIds,
  pairingCode,
  visibleState,
  type TestKiosk,
  type TestServer,
} from '../../support/sync-server.ts';
import { must } from '../../support/call.ts';

/**
 * The relay under faults (R6, R8, R9, R28): the hub restarted while a batch's answer was lost, and a
 * kiosk moving from the hub to the central server mid-event. Every fact ends up once on the central server
 * and on the hub, and every door sees the same.
 */
const cleanups = closedAfter(afterEach);

async function setUp() {
  const venue = await startVenue(cleanups);
  return { ...venue, hub: await venue.hub(), kiosk: venue.door };
}

async function deviceFacts(server: TestServer, deviceId: string): Promise<number> {
  const [row] = await server.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM fact_log WHERE device_id = $1`, [
    deviceId,
  ]);
  return row!.n;
}

async function noDuplicateSeqs(server: TestServer): Promise<void> {
  expect(await duplicateSeqs(server)).toBe(0);
}

describe('the relay under faults', () => {
  it('the hub restarted after a batch was stored but its answer lost: the rest follows, nothing twice', async () => {
    const { central, eventId, hub, kiosk } = await setUp();
    const north = kiosk('North');
    await pairWithHub(hub, north, 'North');
    // A door paired directly with the central server, whose facts the hub must bring back.
    const main = kiosk('Main entrance');
    await main.kiosk.sync!.engine.pair(central.url, await pairingCode(central, eventId, 'Main entrance'));
    await hub.relay.runOnce();
    const ids = guestIds(north, 120);
    const written = doorTraffic(north, ids, 450, 0);
    doorTraffic(main, ids, 60, 60);
    await north.kiosk.sync!.engine.syncOnce();
    await main.kiosk.sync!.engine.syncOnce();
    const northId = deviceIdOf(north);

    // The first batch (200) reaches the central server, its answer never reaches the hub.
    hub.uplink.setFault({ kind: 'cut', afterBytes: 0 });
    expect(await attemptRelay(hub)).toBe('server_unreachable');
    expect(await deviceFacts(central, northId)).toBe(200);
    await hub.restart();
    hub.uplink.heal();

    const round = await hub.relay.runOnce();
    // The resent first batch is answered from the central server's stored answer: 450 stored, once each.
    expect(round.forwarded).toEqual({ stored: written, duplicates: 0, refused: 0 });
    expect(round.broughtBack).toBe(60);
    expect(await deviceFacts(central, northId)).toBe(written);
    await noDuplicateSeqs(central);
    await noDuplicateSeqs(hub.server);
    const status = await hub.relay.status();
    expect(status).toMatchObject({ pending: 0, lastError: null });
    expect(status.devices).toEqual([{ deviceId: northId, bound: true, reason: '' }]);

    // North (on the hub, paired with its URL before the restart) and Main (central) see the same doors.
    await north.kiosk.sync!.engine.syncOnce();
    await main.kiosk.sync!.engine.syncOnce();
    expect(visibleState(north)).toEqual(visibleState(main));
  }, 120_000);

  it('a kiosk moves from the hub to the central server mid-event: nothing lost, nothing twice', async () => {
    const { central, eventId, hub, kiosk } = await setUp();
    const north = kiosk('North');
    const south = kiosk('South');
    await pairWithHub(hub, north, 'North');
    await pairWithHub(hub, south, 'South');
    const ids = guestIds(north, 12);
    const scan = (k: TestKiosk, i: number) =>
      expect(must(k.kiosk, 'guests.scan', { code: codeOf(k, ids[i]!) }).status).toBe('checked_in');
    scan(north, 0);
    scan(north, 1);
    scan(south, 2);
    for (const k of [north, south]) await k.kiosk.sync!.engine.syncOnce();
    await hub.relay.runOnce();

    // The uplink fails; North keeps admitting through the hub, then is paired with the central server
    // (over another network) while two of its facts are still only on the hub.
    hub.uplink.setFault({ kind: 'reset' });
    scan(north, 3);
    scan(north, 4);
    await north.kiosk.sync!.engine.syncOnce();
    expect(await attemptRelay(hub)).toBe('server_unreachable');
    await north.kiosk.sync!.engine.pair(central.url, await pairingCode(central, eventId, 'North'));
    expect(await deviceFacts(central, deviceIdOf(north))).toBe(4);
    scan(north, 5);
    await north.kiosk.sync!.engine.syncOnce();

    // The uplink returns: the hub's copies of North's two facts are duplicates there, not refusals; North's
    // later check-in comes back to the hub for South.
    hub.uplink.heal();
    const round = await hub.relay.runOnce();
    expect(round.forwarded).toEqual({ stored: 0, duplicates: 2, refused: 0 });
    expect(round.broughtBack).toBe(1);
    await south.kiosk.sync!.engine.syncOnce();
    await north.kiosk.sync!.engine.syncOnce();
    expect(visibleState(south)).toEqual(visibleState(north));
    const stats = await adminGet<EventStats>(central, `/v1/admin/events/${eventId}/stats`);
    expect(stats).toMatchObject({ checkIns: 6, checkedIn: 6, duplicates: 0 });
    await noDuplicateSeqs(central);
    const alerts = await central.sql.query(`SELECT * FROM alerts WHERE kind = 'relay_not_trusted'`, []);
    expect(alerts).toEqual([]);

    // After the move the hub is trusted for South only: a later fact of North through it would be refused.
    scan(south, 6);
    await south.kiosk.sync!.engine.syncOnce();
    expect((await hub.relay.runOnce()).forwarded).toEqual({ stored: 1, duplicates: 0, refused: 0 });
    expect((await adminGet<EventStats>(central, `/v1/admin/events/${eventId}/stats`)).checkIns).toBe(7);
  }, 120_000);
});
