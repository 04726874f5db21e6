import { afterAll, describe, expect, it } from 'vitest';
import type { EventStats } from '../../../shared/sync/protocol.ts';
import { deviceIdOf } from '../../support/fault-proxy.ts';
import { closedAfter, forgedCheckIn, linkHandHub, pairWithHub, startVenue } from '../../support/relay-hub.ts';
import { adminGet, codeOf, guestIds, pairingCode } from '../../support/sync-server.ts';
import { must } from '../../support/call.ts';

/**
 * The central server trusts a hub only for the devices paired through it. A rogue hub — holding a real
 * hub token — relaying for a device paired with the central server directly, or bound to another hub, is
 * refused fact by fact (`relay_not_trusted`), each refusal recorded with the hub's id; the rest of its
 * batch goes through, and the real devices' watermarks do not move (R5, R6, R20).
 */
const cleanups = closedAfter(afterAll);

describe('which devices a hub may relay for', () => {
  it('a rogue relay is refused for devices paired directly or through another hub; the rest goes through', async () => {
    const venue = await startVenue(cleanups);
    const { central, eventId } = venue;
    const hub = await venue.hub();
    const onHub = venue.door('North');
    const direct = venue.door('Main entrance');
    await pairWithHub(hub, onHub, 'North');
    await direct.kiosk.sync!.engine.pair(central.url, await pairingCode(central, eventId, 'Main entrance'));
    const [g1, g2, g3] = guestIds(onHub, 3) as [string, string, string];
    expect(must(onHub.kiosk, 'guests.scan', { code: codeOf(onHub, g1) }).status).toBe('checked_in');
    expect(must(direct.kiosk, 'guests.scan', { code: codeOf(direct, g2) }).status).toBe('checked_in');
    await onHub.kiosk.sync!.engine.syncOnce();
    await direct.kiosk.sync!.engine.syncOnce();
    await hub.relay.runOnce();
    const onHubId = deviceIdOf(onHub);
    const directId = deviceIdOf(direct);
    const before = await adminGet<EventStats>(central, `/v1/admin/events/${eventId}/stats`);
    const watermarks = async () =>
      central.sql.query<{ device_id: string; contiguous_seq: number }>(
        `SELECT device_id, contiguous_seq::int AS contiguous_seq FROM device_progress ORDER BY device_id`,
        [],
      );
    const marksBefore = await watermarks();

    // A second hub of the event, gone rogue.
    const rogue = await linkHandHub(central, eventId, 'hub_rogue');
    const announced = await rogue.announce([
      { deviceId: directId, name: 'Main entrance' },
      { deviceId: onHubId, name: 'North' },
      { deviceId: 'rogue_door', name: 'Its own door' },
    ]);
    expect(announced.body.devices).toEqual([
      { deviceId: directId, bound: false, reason: 'paired_directly' },
      { deviceId: onHubId, bound: false, reason: 'bound_to_other_hub' },
      { deviceId: 'rogue_door', bound: true, reason: '' },
    ]);

    const forgedDirect = forgedCheckIn(directId, 2, g3);
    const forgedOnHub = forgedCheckIn(onHubId, 2, g3);
    const ownFact = forgedCheckIn('rogue_door', 1, g3);
    const copied = onHub.kiosk
      .db!.prepare(
        `SELECT id, device_id AS deviceId, device_seq AS deviceSeq, type, guest_id AS guestId, hlc, wall_ms AS wallMs,
           actor, payload FROM facts WHERE device_id = ? AND type = 'check_in'`,
      )
      .get(onHubId) as { id: string; payload: string };
    const copy = { ...copied, payload: JSON.parse(copied.payload) as unknown };
    const pushed = await rogue.push([forgedDirect, forgedOnHub, ownFact, copy]);
    expect(pushed.status).toBe(200);
    expect(pushed.body.results).toEqual([
      { id: forgedDirect['id'], status: 'rejected', reason: 'relay_not_trusted' },
      { id: forgedOnHub['id'], status: 'rejected', reason: 'relay_not_trusted' },
      { id: ownFact['id'], status: 'stored', reason: '' },
      // What the central server holds already, unchanged: a duplicate, neither stored again nor an alarm.
      { id: copy.id, status: 'duplicate', reason: '' },
    ]);
    expect(pushed.body.ackedThrough).toEqual({ rogue_door: 1 });

    // Recorded, with the hub that relayed them; nothing of the real doors changed.
    const alerts = await central.sql.query<{ device_id: string; fact_id: string; hub: string }>(
      `SELECT device_id, fact_id, detail->>'hubId' AS hub FROM alerts WHERE kind = 'relay_not_trusted' ORDER BY id`,
      [],
    );
    expect(alerts).toEqual([
      { device_id: directId, fact_id: forgedDirect['id'], hub: 'hub_rogue' },
      { device_id: onHubId, fact_id: forgedOnHub['id'], hub: 'hub_rogue' },
    ]);
    expect((await watermarks()).filter((w) => w.device_id !== 'rogue_door')).toEqual(marksBefore);
    const after = await adminGet<EventStats>(central, `/v1/admin/events/${eventId}/stats`);
    expect(after).toMatchObject({ checkIns: before.checkIns + 1, facts: before.facts + 1 });
    const { hubs } = await adminGet<{ hubs: Array<{ id: string; relayedFacts: number; refusedFacts: number }> }>(
      central,
      `/v1/admin/events/${eventId}/hubs`,
    );
    expect(hubs.find((h) => h.id === 'hub_rogue')).toMatchObject({ relayedFacts: 1, refusedFacts: 2 });

    // The honest hub carries on; the rogue one, revoked, is refused outright.
    expect(must(onHub.kiosk, 'guests.scan', { code: codeOf(onHub, g3) }).status).toBe('checked_in');
    await onHub.kiosk.sync!.engine.syncOnce();
    expect((await hub.relay.runOnce()).forwarded).toEqual({ stored: 1, duplicates: 0, refused: 0 });
    const revoked = await fetch(`${central.url}/v1/admin/hubs/hub_rogue/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${central.adminToken}` },
    });
    expect(revoked.status).toBe(200);
    const refused = await rogue.push([forgedCheckIn('rogue_door', 2, g3)]);
    expect(refused).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
  }, 120_000);
});
