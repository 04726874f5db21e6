import { afterAll, describe, expect, it } from 'vitest';
import type { EventStats } from '../../../shared/sync/protocol.ts';
import { deviceIdOf, httpExchanges, startFaultProxy } from '../../support/fault-proxy.ts';
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
 * The venue hub's acceptance test: a central server, a hub linked with it, two kiosks paired with the hub.
 * The hub's uplink is cut while both kiosks admit the same badge; once it is back the central server counts
 * 2 check-ins of 1 guest, 1 duplicate, each fact once with its own device, sequence and HLC (R5, R11).
 * Syncing again changes nothing; a kiosk that then pairs directly with the central server pushes nothing
 * it already relayed (R6, R9).
 */
const cleanups = closedAfter(afterAll);

async function factCount(server: TestServer, eventId: string): Promise<number> {
  const [row] = await server.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM fact_log WHERE conference_id = $1`,
    [eventId],
  );
  return row!.n;
}

describe('venue hub relaying to the central server', () => {
  it('uplink cut while two doors admit one badge: 2 check-ins, 1 guest, 1 duplicate; exactly once', async () => {
    const venue = await startVenue(cleanups);
    const { central, eventId } = venue;
    const hub = await venue.hub();
    const north = venue.door('North');
    const south = venue.door('South');
    await pairWithHub(hub, north, 'North');
    await pairWithHub(hub, south, 'South');
    expect((await hub.relay.runOnce()).announced).toBe(2);
    const before = await adminGet<EventStats>(central, `/v1/admin/events/${eventId}/stats`);

    // The venue's uplink goes down; the LAN stays up. Both doors admit the same badge before either syncs.
    hub.uplink.setFault({ kind: 'reset' });
    const [guest] = guestIds(north, 1) as [string];
    const scan = (k: TestKiosk) => must(k.kiosk, 'guests.scan', { code: codeOf(k, guest) }).status;
    expect(scan(north)).toBe('checked_in');
    expect(scan(south)).toBe('checked_in');
    for (const k of [north, south, north]) await k.kiosk.sync!.engine.syncOnce();
    expect(await attemptRelay(hub)).toBe('server_unreachable');
    expect((await hub.relay.status()).pending).toBe(2);
    expect((await adminGet<EventStats>(central, `/v1/admin/events/${eventId}/stats`)).checkIns).toBe(0);
    // The doors see each other through the hub meanwhile.
    for (const k of [north, south]) expect(must(k.kiosk, 'sync.conflicts', {}).duplicates).toHaveLength(1);

    hub.uplink.heal();
    const back = await hub.relay.runOnce();
    expect(back.forwarded).toEqual({ stored: 2, duplicates: 0, refused: 0 });
    const stats = await adminGet<EventStats>(central, `/v1/admin/events/${eventId}/stats`);
    expect(stats).toMatchObject({ checkIns: 2, checkedIn: 1, duplicates: 1, voided: 0 });
    expect(stats.facts).toBe(before.facts + 2);
    expect(await duplicateSeqs(central)).toBe(0);
    // Each fact as its door wrote it: device, sequence and HLC unchanged, and the hub that relayed it recorded.
    const kioskFacts = [north, south].flatMap((k) =>
      k.kiosk
        .db!.prepare(`SELECT id, device_id, device_seq, hlc FROM facts WHERE device_id = ? AND type = 'check_in'`)
        .all(deviceIdOf(k)),
    ) as Array<{ id: string; device_id: string; device_seq: number; hlc: string }>;
    const centralFacts = await central.sql.query<{ id: string; device_id: string; device_seq: number; hlc: string }>(
      `SELECT fact_id::text AS id, device_id, device_seq::int AS device_seq, hlc FROM fact_log
       WHERE type = 'check_in' ORDER BY device_id`,
      [],
    );
    expect(centralFacts).toEqual(kioskFacts.sort((a, b) => a.device_id.localeCompare(b.device_id)));
    const relayed = await central.sql.query<{ fact_id: string }>(`SELECT fact_id::text FROM relayed_facts`, []);
    expect(relayed.map((r) => r.fact_id).sort()).toEqual(kioskFacts.map((f) => f.id).sort());

    // Again: nothing moves, nothing is counted twice.
    const hubFacts = await factCount(hub.server, eventId);
    const again = await hub.relay.runOnce();
    expect(again).toEqual({ announced: 0, forwarded: { stored: 0, duplicates: 0, refused: 0 }, broughtBack: 0 });
    for (const k of [north, south]) await k.kiosk.sync!.engine.syncOnce();
    expect(await adminGet<EventStats>(central, `/v1/admin/events/${eventId}/stats`)).toEqual(stats);
    expect(await factCount(hub.server, eventId)).toBe(hubFacts);
    expect(visibleState(south)).toEqual(visibleState(north));

    // North pairs directly with the central server (through a recording proxy): it pushes nothing twice.
    const direct = await startFaultProxy({ upstreamPort: central.port });
    cleanups.push(() => direct.close());
    direct.record(true);
    await north.kiosk.sync!.engine.pair(direct.url, await pairingCode(central, eventId, 'North'));
    const pushed = direct.recordings
      .flatMap(httpExchanges)
      .filter((e) => e.path.startsWith('/v1/sync/push'))
      .flatMap((e) => (JSON.parse(e.requestBody) as { facts: unknown[] }).facts);
    expect(pushed).toEqual([]);
    expect(await adminGet<EventStats>(central, `/v1/admin/events/${eventId}/stats`)).toEqual({
      ...stats,
      devices: stats.devices + 1,
    });
    expect(await duplicateSeqs(central)).toBe(0);
    expect(north.kiosk.sync!.engine.status()).toMatchObject({ pending: 0, state: 'online' });
    // The central server re-bound North to itself: the hub is no longer trusted for it.
    const { hubs } = await adminGet<{ hubs: Array<{ devices: Array<{ deviceId: string; direct: boolean }> }> }>(
      central,
      `/v1/admin/events/${eventId}/hubs`,
    );
    expect(hubs[0]!.devices.find((d) => d.deviceId === deviceIdOf(north))?.direct).toBe(true);
  }, 120_000);
});
