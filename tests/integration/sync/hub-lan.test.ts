import fs from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminTokenFile, hubDir } from '../../../electron/core/hub/files.ts';
import type { Kiosk } from '../../../electron/core/kiosk.ts';
import { lanAddresses } from '../../../shared/hub/lan.ts';
import type { EventStats } from '../../../shared/sync/protocol.ts';
import { parsePairingQr } from '../../../renderer/src/pairing.ts';
import { asOwner, must } from '../../support/call.ts';
import { hubAdmin, newHubKiosk, nextDoorPairing } from '../../support/hub.ts';
import { adminGet, guestIds, newKiosk, type ServerAddress, type TestKiosk } from '../../support/sync-server.ts';

/**
 * Issue 17's venue hub, the LAN half: a kiosk laptop runs the sync server for the venue (the same server
 * code, PGlite in <data>/hub) serving its own event; two doors pair with it from its pairing QR and see each
 * other's check-ins (and the hub's door sees theirs); a badge admitted at two doors is flagged; the hub
 * restarted mid-way loses nothing; and a LAN client without a device token gets nothing but pairing.
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const isIn = (k: Kiosk, guestId: string) => must(asOwner(k), 'guests.get', { guestId }).checkedIn;
const codeFor = (k: Kiosk, guestId: string) =>
  k.db!.prepare(`SELECT code FROM guest_codes WHERE guest_id = ? LIMIT 1`).pluck().get(guestId) as string;
const scan = (k: Kiosk, guestId: string) => must(asOwner(k), 'guests.scan', { code: codeFor(k, guestId) }).status;
const sync = async (...kiosks: Kiosk[]) => {
  for (const k of kiosks) await k.sync!.engine.syncOnce();
};
const ownFacts = (k: Kiosk) => {
  const deviceId = must(asOwner(k), 'app.status', {}).device!.id;
  return k.db!.prepare(`SELECT count(*) FROM facts WHERE device_id = ?`).pluck().get(deviceId) as number;
};

let hubLaptop: ReturnType<typeof newHubKiosk>;
let hub: Kiosk;
let url = '';
let admin: ServerAddress;
let eventId = '';
let a: TestKiosk;
let b: TestKiosk;
let ids: string[] = [];

beforeAll(async () => {
  hubLaptop = newHubKiosk('Hub desk');
  hub = hubLaptop.kiosk;
  cleanups.push(() => {
    hub.close();
    hubLaptop.cleanup();
  });
  cleanups.push(async () => {
    await hub.hub?.shutdown();
  });
}, 60_000);

describe('a venue hub on the LAN', () => {
  it('turns on at a LAN address, owner-only on disk, its own door one of its doors', async () => {
    const owner = asOwner(hub);
    expect(must(owner, 'hub.status', {}).state).toBe('off');
    must(owner, 'hub.start', { port: 0 });
    await expect.poll(() => must(owner, 'hub.status', {}).state, { timeout: 60_000, interval: 100 }).toBe('on');
    const on = must(owner, 'hub.status', {});
    const lan = lanAddresses(os.networkInterfaces());
    expect(on.url).toBe(`http://${lan[0] ?? '127.0.0.1'}:${on.port}`);
    expect(on.lan).toBe(lan.length > 0);
    url = on.url;
    expect(fs.statSync(hubDir(hubLaptop.dir)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(adminTokenFile(hubLaptop.dir)).mode & 0o777).toBe(0o600);
    expect(hub.sync!.engine.status()).toMatchObject({ paired: true, serverUrl: `http://127.0.0.1:${on.port}` });
    expect(on.doors).toBe(1);
    admin = hubAdmin(hubLaptop.dir, url);
    eventId = must(owner, 'event.show', {}).event.id;
    // The event on the hub is the kiosk's: same id, names in every language, forums, zone.
    const served = await adminGet<{ events: Array<{ id: string; zh?: string }> }>(admin, '/v1/admin/events');
    expect(served.events.map((e) => e.id)).toEqual([eventId]);
  }, 90_000);

  it("two doors pair from its QR and see each other's check-ins and the hub door's after a round", async () => {
    const owner = asOwner(hub);
    const doors: TestKiosk[] = [];
    for (const name of ['North', 'South']) {
      const door = newKiosk(name);
      cleanups.push(() => {
        door.kiosk.close();
        fs.rmSync(door.dir, { recursive: true, force: true });
      });
      const pairing = await nextDoorPairing(owner, `${name} door`);
      const fromQr = parsePairingQr(pairing.qrText)!;
      expect(fromQr).toEqual({ url, code: pairing.code });
      await door.kiosk.sync!.engine.pair(fromQr.url, fromQr.code);
      doors.push(door);
    }
    [a, b] = doors as [TestKiosk, TestKiosk];
    const served = must(asOwner(a.kiosk), 'event.show', {}).event;
    expect(served).toEqual(must(owner, 'event.show', {}).event);
    ids = guestIds(a, 8);

    expect(scan(a.kiosk, ids[0]!)).toBe('checked_in');
    await sync(a.kiosk, b.kiosk, hub);
    expect(isIn(b.kiosk, ids[0]!)).toBe(true);
    expect(isIn(hub, ids[0]!)).toBe(true);
    expect(scan(hub, ids[1]!)).toBe('checked_in');
    await sync(hub, a.kiosk, b.kiosk);
    expect(isIn(a.kiosk, ids[1]!)).toBe(true);
    expect(isIn(b.kiosk, ids[1]!)).toBe(true);
    await expect.poll(() => must(owner, 'hub.status', {}).doors, { timeout: 30_000 }).toBe(3);
  }, 90_000);

  it('a badge admitted at both doors before either synced is kept twice and flagged everywhere', async () => {
    expect(scan(a.kiosk, ids[2]!)).toBe('checked_in');
    expect(scan(b.kiosk, ids[2]!)).toBe('checked_in');
    await sync(a.kiosk, b.kiosk, hub, a.kiosk);
    for (const k of [a.kiosk, b.kiosk, hub]) {
      expect(must(asOwner(k), 'sync.conflicts', {}).duplicates.map((d) => d.guestId)).toEqual([ids[2]]);
    }
    const stats = await adminGet<EventStats>(admin, `/v1/admin/events/${eventId}/stats`);
    expect(stats).toMatchObject({ checkIns: 4, checkedIn: 3, duplicates: 1, devices: 3 });
  }, 60_000);

  it("with the doors' own sync loops, a check-in at one door shows at the other within seconds", async () => {
    for (const k of [a.kiosk, b.kiosk]) k.startBackground();
    const started = Date.now();
    expect(scan(a.kiosk, ids[4]!)).toBe('checked_in');
    await expect.poll(() => isIn(b.kiosk, ids[4]!), { timeout: 30_000, interval: 50 }).toBe(true);
    const seconds = (Date.now() - started) / 1000;
    // The loop syncs every 5 s when healthy: two rounds at most (A pushes, B pulls), on a loaded machine.
    expect(seconds).toBeLessThan(15);
    for (const k of [a.kiosk, b.kiosk]) k.sync!.loop.stop();
  }, 60_000);

  it("a LAN client without a device token gets nothing but pairing; admin routes need the hub's token", async () => {
    const get = (route: string, token = '') =>
      fetch(`${url}${route}`, token === '' ? {} : { headers: { authorization: `Bearer ${token}` } });
    for (const route of [
      '/v1/sync/pull',
      '/v1/sync/package',
      `/v1/admin/events/${eventId}/stats`,
      '/v1/admin/events',
    ]) {
      const response = await get(route);
      expect(response.status, route).toBe(401);
      expect(JSON.stringify(await response.json())).not.toContain('guests');
    }
    const push = await fetch(`${url}/v1/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ protocol: 2, facts: [] }),
    });
    expect(push.status).toBe(401);
    // A wrong admin token, and a door's device token, open no admin route.
    expect((await get('/v1/admin/events', 'lya_not-the-hub-admin-token-0123456789abcdefghij')).status).toBe(401);
    const created = await fetch(`${url}/v1/admin/events/${eventId}/pairing-codes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Intruder' }),
    });
    expect(created.status).toBe(401);
    // Pairing is open, and refuses a guessed code.
    const guess = await fetch(`${url}/v1/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ protocol: 2, code: '123456789012', deviceId: 'intruder_1' }),
    });
    expect(guess.status).toBe(400);
    expect(((await guess.json()) as { error: { code: string } }).error.code).toBe('pairing_code_invalid');
    // Metrics are this laptop's alone: asked at the LAN address, they are refused.
    if (!url.startsWith('http://127.')) expect((await get('/metrics')).status).toBe(401);
    // With the hub's token, the organiser's routes answer.
    expect((await get('/v1/admin/events', admin.adminToken)).status).toBe(200);
  }, 60_000);

  it('restarted mid-way, the hub loses nothing: same port, its store on disk, the doors carry on', async () => {
    const owner = asOwner(hub);
    const before = await adminGet<EventStats>(admin, `/v1/admin/events/${eventId}/stats`);
    await hub.hub!.stopAndWait();
    expect(must(owner, 'hub.status', {}).state).toBe('off');
    expect(scan(a.kiosk, ids[5]!)).toBe('checked_in');
    await expect(a.kiosk.sync!.engine.syncOnce()).rejects.toMatchObject({ code: 'server_unreachable' });
    must(owner, 'hub.start', {});
    await expect.poll(() => must(owner, 'hub.status', {}).state, { timeout: 60_000, interval: 100 }).toBe('on');
    expect(must(owner, 'hub.status', {}).url).toBe(url);
    await sync(a.kiosk, b.kiosk, hub);
    expect(isIn(b.kiosk, ids[5]!)).toBe(true);
    expect(isIn(hub, ids[5]!)).toBe(true);
    const after = await adminGet<EventStats>(admin, `/v1/admin/events/${eventId}/stats`);
    expect(after).toMatchObject({ checkIns: before.checkIns + 1, duplicates: 1, facts: before.facts + 1 });
    expect(after.facts).toBe([a.kiosk, b.kiosk, hub].map(ownFacts).reduce((s, n) => s + n, 0));
  }, 120_000);
});
