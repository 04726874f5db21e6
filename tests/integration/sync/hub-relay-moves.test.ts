import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHubLink } from '../../../server/relay/link-file.ts';
import type { EventStats } from '../../../shared/sync/protocol.ts';
import { deviceIdOf } from '../../support/fault-proxy.ts';
import {
  attemptRelay,
  closedAfter,
  duplicateSeqs,
  forgedCheckIn,
  handHub,
  pairWithHub,
  startVenue,
} from '../../support/relay-hub.ts';
import { adminGet, codeOf, guestIds, pairingCode, type TestKiosk } from '../../support/sync-server.ts';
import { must } from '../../support/call.ts';

/**
 * The two hand-over paths besides the usual morning (hub-relay-handover.test.ts): a door that pairs with a
 * hub before the hub is linked with the central server (its proof names the id the hub keeps for its link),
 * and a door that moves on from hub A to hub B (it proves the move with the key of the central token it left,
 * one count higher). The central server binds each door to the hub of its newest proven pairing, refuses the
 * hub it left, and counts every check-in once (R5, R6, R9, R20).
 */
const cleanups = closedAfter(afterAll);

async function venue() {
  const { central, eventId, door, hub } = await startVenue(cleanups);
  const stats = () => adminGet<EventStats>(central, `/v1/admin/events/${eventId}/stats`);
  const twice = () => duplicateSeqs(central);
  const bindings = () =>
    central.sql.query<{ device_id: string; hub_id: string; n: number }>(
      `SELECT device_id, hub_id, handover_n::int AS n FROM relay_bindings ORDER BY device_id`,
      [],
    );
  const startVenueHub = (linked: boolean) => hub({ linked });
  return { central, eventId, door, stats, twice, bindings, startVenueHub };
}

const scan = (k: TestKiosk, guest: string) => must(k.kiosk, 'guests.scan', { code: codeOf(k, guest) }).status;

describe('a door hands over to a hub not linked yet, or from one hub to another', () => {
  it('paired with a hub before its link: the link announces the door with its proof and the central server binds it', async () => {
    const { central, eventId, door, stats, twice, bindings, startVenueHub } = await venue();
    const hub = await startVenueHub(false);
    const gate = door('Gate');
    await gate.kiosk.sync!.engine.pair(central.url, await pairingCode(central, eventId, 'Gate'));
    const [g1, g2, g3] = guestIds(gate, 3) as [string, string, string];
    expect(scan(gate, g1)).toBe('checked_in');
    await gate.kiosk.sync!.engine.syncOnce();

    // The hub is up on the LAN but not linked: Gate hands over to the id it keeps for its link; Side door
    // (never paired with the central server) has nothing to prove.
    const side = door('Side door');
    await pairWithHub(hub, gate, 'Gate');
    await pairWithHub(hub, side, 'Side door');
    expect(readHubLink(hub.server.dataDir)).toBeNull();
    const keptId = readFileSync(join(hub.server.dataDir, 'relay-hub-id'), 'utf8').trim();
    expect(await hub.server.sql.query(`SELECT device_id, hub_id, n::int AS n FROM relay_handovers`, [])).toEqual([
      { device_id: deviceIdOf(gate), hub_id: keptId, n: 1 },
    ]);
    expect(scan(gate, g2)).toBe('checked_in');
    expect(scan(side, g3)).toBe('checked_in');
    for (const k of [gate, side]) await k.kiosk.sync!.engine.syncOnce();
    expect(await attemptRelay(hub)).toBe('not_paired');
    expect(await stats()).toMatchObject({ checkIns: 1 });

    // Linked later, with the same id: its first round announces both doors; Gate is bound on its proof.
    await hub.link();
    expect(readHubLink(hub.server.dataDir)!.hubId).toBe(keptId);
    const round = await hub.relay.runOnce();
    expect(round.announced).toBe(2);
    expect(round.forwarded.refused).toBe(0);
    const bothBound = [gate, side]
      .map((k) => ({ deviceId: deviceIdOf(k), bound: true, reason: '' }))
      .sort((a, b) => a.deviceId.localeCompare(b.deviceId));
    expect((await hub.relay.status()).devices).toEqual(bothBound);
    expect(await bindings()).toEqual(
      [
        { device_id: deviceIdOf(gate), hub_id: keptId, n: 1 },
        { device_id: deviceIdOf(side), hub_id: keptId, n: 0 },
      ].sort((a, b) => a.device_id.localeCompare(b.device_id)),
    );
    const after = await stats();
    expect(after).toMatchObject({ checkIns: 3, checkedIn: 3, duplicates: 0 });
    expect(await twice()).toBe(0);
    // Again: nothing moves.
    expect((await hub.relay.runOnce()).forwarded).toEqual({ stored: 0, duplicates: 0, refused: 0 });
    expect(await stats()).toEqual(after);
  }, 120_000);

  it('from hub A to hub B: the newest proven pairing wins, hub A is refused for the door, nothing counted twice', async () => {
    const { central, eventId, door, stats, twice, bindings, startVenueHub } = await venue();
    const [hubA, hubB] = [await startVenueHub(true), await startVenueHub(true)];
    const [idA, idB] = [hubA, hubB].map((h) => readHubLink(h.server.dataDir)!.hubId) as [string, string];
    const gate = door('Gate');
    const gateId = deviceIdOf(gate);
    await gate.kiosk.sync!.engine.pair(central.url, await pairingCode(central, eventId, 'Gate'));
    const [g1, g2, g3, g4, g5] = guestIds(gate, 5) as [string, string, string, string, string];
    expect(scan(gate, g1)).toBe('checked_in');
    await gate.kiosk.sync!.engine.syncOnce();

    // Morning on hub A (hand-over 1): relayed.
    await pairWithHub(hubA, gate, 'Gate');
    expect(scan(gate, g2)).toBe('checked_in');
    await gate.kiosk.sync!.engine.syncOnce();
    expect((await hubA.relay.runOnce()).forwarded.refused).toBe(0);
    expect(await bindings()).toEqual([{ device_id: gateId, hub_id: idA, n: 1 }]);
    expect(await stats()).toMatchObject({ checkIns: 2 });

    // Hub A's uplink dies with g3 still on it; Gate moves to hub B (hand-over 2, proven with the kept key).
    expect(scan(gate, g3)).toBe('checked_in');
    await gate.kiosk.sync!.engine.syncOnce();
    hubA.uplink.setFault({ kind: 'reset' });
    expect(await attemptRelay(hubA)).not.toBe('ok');
    await pairWithHub(hubB, gate, 'Gate');
    expect(scan(gate, g4)).toBe('checked_in');
    await gate.kiosk.sync!.engine.syncOnce();
    const roundB = await hubB.relay.runOnce();
    expect(roundB.announced).toBe(1);
    expect(roundB.forwarded.refused).toBe(0);
    expect((await hubB.relay.status()).devices).toEqual([{ deviceId: gateId, bound: true, reason: '' }]);
    expect(await bindings()).toEqual([{ device_id: gateId, hub_id: idB, n: 2 }]);
    const after = await stats();
    expect(after).toMatchObject({ checkIns: 4, checkedIn: 4, duplicates: 0 });

    // Hub A back: what it still held of Gate is at the central server already; nothing counts twice.
    hubA.uplink.heal();
    expect((await hubA.relay.runOnce()).forwarded.stored).toBe(0);
    expect(await stats()).toEqual(after);
    expect(await twice()).toBe(0);

    // Hub A announcing Gate with its older proof, or relaying a new fact for it: refused.
    const kept = await hubA.server.sql.query<{ n: number; proof: string }>(
      `SELECT n::int AS n, proof FROM relay_handovers WHERE device_id = $1`,
      [gateId],
    );
    expect(kept).toEqual([{ n: 1, proof: expect.any(String) as string }]);
    const handA = handHub(central, idA, readHubLink(hubA.server.dataDir)!.token);
    expect((await handA.announce([{ deviceId: gateId, name: 'Gate', handover: kept[0]! }])).body.devices).toEqual([
      { deviceId: gateId, bound: false, reason: 'bound_to_other_hub' },
    ]);
    const forged = forgedCheckIn(gateId, 99, g5);
    expect((await handA.push([forged])).body.results).toEqual([
      { id: forged['id'], status: 'rejected', reason: 'relay_not_trusted' },
    ]);
    expect(await bindings()).toEqual([{ device_id: gateId, hub_id: idB, n: 2 }]);
    expect(await stats()).toEqual(after);

    // Each check-in once, with the hub that relayed it: g2 by A, g3 and g4 by B (g1 came directly).
    const relayedBy = await central.sql.query<{ hub_id: string; n: number }>(
      `SELECT r.hub_id, count(*)::int AS n FROM relayed_facts r JOIN fact_log f ON f.fact_id = r.fact_id
       WHERE f.type = 'check_in' GROUP BY r.hub_id ORDER BY r.hub_id`,
      [],
    );
    expect(relayedBy).toEqual(
      [
        { hub_id: idA, n: 1 },
        { hub_id: idB, n: 2 },
      ].sort((a, b) => a.hub_id.localeCompare(b.hub_id)),
    );
  }, 150_000);
  it('paired with a hub first, then with another hub: nothing to prove, no proof sent, no false alarm', async () => {
    const { central, door, stats, twice, bindings, startVenueHub } = await venue();
    const [hubA, hubB] = [await startVenueHub(true), await startVenueHub(true)];
    const idA = readHubLink(hubA.server.dataDir)!.hubId;
    // Side door never pairs with the central server: hub A is its first server, and relays for it.
    const side = door('Side door');
    const sideId = deviceIdOf(side);
    await pairWithHub(hubA, side, 'Side door');
    const kept = (key: string) => side.kiosk.db!.prepare(`SELECT value FROM meta WHERE key = ?`).pluck().get(key);
    expect([kept('sync_server_kind'), kept('sync_server_hub')]).toEqual(['hub', idA]);
    const [g1, g2] = guestIds(side, 2) as [string, string];
    expect(scan(side, g1)).toBe('checked_in');
    await side.kiosk.sync!.engine.syncOnce();
    expect((await hubA.relay.runOnce()).forwarded.refused).toBe(0);
    expect(await bindings()).toEqual([{ device_id: sideId, hub_id: idA, n: 0 }]);

    // It moves to hub B. It holds no central token, so it sends no hand-over proof: before, it keyed one
    // with hub A's token, which the central server could never check (a `handover_invalid` alert).
    await pairWithHub(hubB, side, 'Side door');
    expect(await hubB.server.sql.query(`SELECT device_id FROM relay_handovers`, [])).toEqual([]);
    expect(scan(side, g2)).toBe('checked_in');
    await side.kiosk.sync!.engine.syncOnce();
    await hubB.relay.runOnce();
    // The central server keeps the first binding (hub A), as it would for any door it never paired.
    expect((await hubB.relay.status()).devices).toEqual([
      { deviceId: sideId, bound: false, reason: 'bound_to_other_hub' },
    ]);
    expect(await bindings()).toEqual([{ device_id: sideId, hub_id: idA, n: 0 }]);
    expect(await central.sql.query(`SELECT kind, device_id FROM alerts WHERE kind LIKE 'relay%'`, [])).toEqual([]);
    expect(await stats()).toMatchObject({ checkIns: 1 });
    expect(await twice()).toBe(0);
  }, 120_000);
});
