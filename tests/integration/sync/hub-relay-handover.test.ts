import { afterAll, describe, expect, it } from 'vitest';
import { handoverProof } from '../../../electron/core/sync/handover.ts';
import { readHubLink, hubIdentity, hubIdOf } from '../../../server/relay/link-file.ts';
import { SYNC_PROTOCOL_VERSION, type EventStats } from '../../../shared/sync/protocol.ts';
import { relayRoutes } from '../../../shared/sync/relay.ts';
import { deviceIdOf, httpExchanges, startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { closedAfter, forgedCheckIn, linkHandHub, pairWithHub, startVenue } from '../../support/relay-hub.ts';
import { adminGet, codeOf, guestIds, pairingCode, type TestKiosk } from '../../support/sync-server.ts';
import { must } from '../../support/call.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * The usual venue morning: every door, the hub laptop's own door too, paired with the central server;
 * the Wi-Fi dies, the hub comes up and the doors pair with it. Each door hands over with a proof keyed
 * with the hash of its central token (shared/sync/protocol.ts HandoverSchema), so the central server lets
 * the hub relay for it: their later facts arrive through the hub exactly once, unchanged. A hub holding
 * another hub's proof, a proof for another event or a made-up one is refused and recorded; the proof never
 * carries the token; a door that pairs with the central server again is its own again (R5, R6, R9, R20).
 */
const cleanups = closedAfter(afterAll);

/** The token each pairing through `proxy` handed out, by device id. */
function pairedTokens(proxy: FaultProxy): Map<string, string> {
  const tokens = new Map<string, string>();
  for (const e of proxy.recordings.flatMap(httpExchanges)) {
    if (e.path !== '/v1/pair' || e.responseBody === null) continue;
    const answer = JSON.parse(e.responseBody) as { deviceId: string; token: string };
    tokens.set(answer.deviceId, answer.token);
  }
  return tokens;
}

describe('a door paired with the central server hands over to a venue hub', () => {
  it('relayed through the hub exactly once after a proven hand-over; forged and replayed proofs refused', async () => {
    const venue = await startVenue(cleanups);
    const { central, eventId } = venue;
    const hub = await venue.hub();
    const doors: Array<[TestKiosk, string]> = ['North', 'South', 'Hub desk'].map((name) => [venue.door(name), name]);
    const [north, south, hubDesk] = doors.map(([k]) => k) as [TestKiosk, TestKiosk, TestKiosk];

    // Morning: every door paired with the central server (through a recording proxy: the tokens it gave).
    const wifi = await startFaultProxy({ upstreamPort: central.port });
    cleanups.push(() => wifi.close());
    wifi.record(true);
    for (const [k, name] of doors) await k.kiosk.sync!.engine.pair(wifi.url, await pairingCode(central, eventId, name));
    const tokens = pairedTokens(wifi);
    expect(tokens.size).toBe(3);
    const [g1, g2, g3, g4, g5] = guestIds(north, 5) as [string, string, string, string, string];
    const scan = (k: TestKiosk, guest: string) => must(k.kiosk, 'guests.scan', { code: codeOf(k, guest) }).status;
    expect(scan(north, g1)).toBe('checked_in');
    expect(scan(south, g2)).toBe('checked_in');
    for (const k of [north, south]) await k.kiosk.sync!.engine.syncOnce();
    const stats = () => adminGet<EventStats>(central, `/v1/admin/events/${eventId}/stats`);
    expect(await stats()).toMatchObject({ checkIns: 2 });

    // The Wi-Fi dies; the doors pair with the hub on the LAN, each with its hand-over proof.
    wifi.setFault({ kind: 'reset' });
    hub.uplink.record(true);
    for (const [k, name] of doors) await pairWithHub(hub, k, name);
    expect(scan(north, g3)).toBe('checked_in');
    expect(scan(south, g4)).toBe('checked_in');
    expect(scan(hubDesk, g5)).toBe('checked_in');
    for (const [k] of doors) await k.kiosk.sync!.engine.syncOnce();

    // The hub's uplink works: the central server binds the three doors to it on their proofs.
    const round = await hub.relay.runOnce();
    expect(round.announced).toBe(3);
    expect(round.forwarded.refused).toBe(0);
    const relayStatus = await hub.relay.status();
    expect(relayStatus.devices.map((d) => ({ bound: d.bound, reason: d.reason }))).toEqual([
      { bound: true, reason: '' },
      { bound: true, reason: '' },
      { bound: true, reason: '' },
    ]);
    const after = await stats();
    expect(after).toMatchObject({ checkIns: 5, checkedIn: 5, duplicates: 0 });
    const dupes = await central.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT device_id, device_seq FROM fact_log GROUP BY 1, 2 HAVING count(*) > 1) d`,
      [],
    );
    expect(dupes[0]!.n).toBe(0);
    // Each fact once, as its door wrote it (device, sequence, HLC); the later ones relayed by the hub.
    const kioskFacts = doors
      .flatMap(([k]) =>
        k.kiosk
          .db!.prepare(`SELECT id, device_id, device_seq, hlc FROM facts WHERE device_id = ? AND type = 'check_in'`)
          .all(deviceIdOf(k)),
      )
      .sort((a, b) => String((a as { id: string }).id).localeCompare(String((b as { id: string }).id)));
    const centralFacts = await central.sql.query(
      `SELECT fact_id::text AS id, device_id, device_seq::int AS device_seq, hlc FROM fact_log
       WHERE type = 'check_in' ORDER BY fact_id::text`,
      [],
    );
    expect(centralFacts).toEqual(kioskFacts);
    const relayed = await central.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM relayed_facts r JOIN fact_log f ON f.fact_id = r.fact_id WHERE f.type = 'check_in'`,
      [],
    );
    expect(relayed[0]!.n).toBe(3);
    // Again: nothing moves.
    expect((await hub.relay.runOnce()).forwarded).toEqual({ stored: 0, duplicates: 0, refused: 0 });
    expect(await stats()).toEqual(after);

    // The proof never carries the token: neither in what the hub keeps nor in anything it sent.
    const kept = await hub.server.sql.query<Record<string, unknown>>(
      `SELECT to_jsonb(h)::text AS row FROM relay_handovers h UNION ALL SELECT to_jsonb(d)::text FROM devices d`,
      [],
    );
    const sent = hub.uplink.recordings.flatMap(httpExchanges).map((e) => e.requestBody);
    expect(sent.some((b) => b.includes('"handover"'))).toBe(true);
    for (const token of tokens.values()) {
      for (const text of [...kept.map((r) => String(r['row'])), ...sent]) expect(text).not.toContain(token);
    }

    // Hostile: a second hub of the event presents the real hub's proof, one for another event, a made-up one.
    const rogue = await linkHandHub(central, eventId, 'hub_rogue');
    const stolen = await hub.server.sql.query<{ device_id: string; n: number; proof: string }>(
      `SELECT device_id, n::int AS n, proof FROM relay_handovers WHERE device_id = $1`,
      [deviceIdOf(north)],
    );
    const otherEvent = handoverProof(
      tokens.get(deviceIdOf(south))!,
      'another-event',
      deviceIdOf(south),
      'hub_rogue',
      9,
    );
    const answer = await rogue.announce([
      { deviceId: deviceIdOf(north), name: 'North', handover: { n: stolen[0]!.n, proof: stolen[0]!.proof } },
      { deviceId: deviceIdOf(south), name: 'South', handover: { n: 9, proof: otherEvent.proof } },
      { deviceId: deviceIdOf(hubDesk), name: 'Hub desk', handover: { n: 9, proof: 'ab'.repeat(32) } },
    ]);
    expect(answer.body.devices).toEqual(
      [north, south, hubDesk].map((k) => ({ deviceId: deviceIdOf(k), bound: false, reason: 'handover_invalid' })),
    );
    const alerts = await central.sql.query<{ device_id: string; hub: string }>(
      `SELECT device_id, detail->>'hubId' AS hub FROM alerts WHERE kind = 'relay_handover_refused' ORDER BY id`,
      [],
    );
    expect(alerts).toEqual([north, south, hubDesk].map((k) => ({ device_id: deviceIdOf(k), hub: 'hub_rogue' })));
    const forged = forgedCheckIn(deviceIdOf(north), 99, g1);
    expect((await rogue.push([forged])).body.results).toEqual([
      { id: forged['id'], status: 'rejected', reason: 'relay_not_trusted' },
    ]);
    expect(await stats()).toEqual(after);

    // North pairs with the central server again: it pushes nothing twice, and the hub is no longer trusted for it.
    wifi.heal();
    wifi.recordings.splice(0);
    await north.kiosk.sync!.engine.pair(wifi.url, await pairingCode(central, eventId, 'North'));
    const pushed = wifi.recordings
      .flatMap(httpExchanges)
      .filter((e) => e.path.startsWith('/v1/sync/push'))
      .flatMap((e) => (JSON.parse(e.requestBody) as { facts: unknown[] }).facts);
    expect(pushed).toEqual([]);
    expect(north.kiosk.sync!.engine.status()).toMatchObject({ pending: 0, state: 'online' });
    const { hubs } = await adminGet<{
      hubs: Array<{ id: string; devices: Array<{ deviceId: string; direct: boolean }> }>;
    }>(central, `/v1/admin/events/${eventId}/hubs`);
    const realHub = hubs.find((h) => h.id !== 'hub_rogue')!;
    // The real hub replaying North's proof now: the new pairing rolled the token the proof was keyed with.
    const replayed = await fetch(`${central.url}${relayRoutes.announce}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${readHubLink(hub.server.dataDir)!.token}`,
      },
      body: JSON.stringify({
        protocol: SYNC_PROTOCOL_VERSION,
        devices: [
          { deviceId: deviceIdOf(north), name: 'North', handover: { n: stolen[0]!.n, proof: stolen[0]!.proof } },
        ],
      }),
    });
    expect(await replayed.json()).toMatchObject({
      devices: [{ deviceId: deviceIdOf(north), bound: false, reason: 'handover_invalid' }],
    });
    expect(realHub.devices.map((d) => [d.deviceId, d.direct]).sort()).toEqual(
      [
        [deviceIdOf(north), true],
        [deviceIdOf(south), false],
        [deviceIdOf(hubDesk), false],
      ].sort(),
    );
  }, 150_000);

  it('a hub not linked yet already has the id it will link with; a central server has none', () => {
    const { dir } = tempDir('hub-id');
    const made = hubIdentity(dir, true);
    expect(made).toMatch(/^hub_[0-9a-f]{20}$/);
    expect(hubIdentity(dir, true)).toBe(made);
    expect(hubIdOf(dir)).toBe(made);
    expect(hubIdentity(tempDir('central').dir, false)).toBeNull();
  });
});
