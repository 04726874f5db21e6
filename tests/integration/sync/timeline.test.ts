import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../electron/core/dispatch.ts';
import type { Timeline } from '../../../shared/projection/timeline.ts';
import type { EventStats } from '../../../shared/sync/protocol.ts';
import {
  adminGet,
  cluster,
  codeOf,
  guestIds,
  startTestServer,
  type TestKiosk,
  type TestServer,
} from '../../support/sync-server.ts';
import { must } from '../../support/call.ts';

/**
 * Issue 17's live pictures on a real server with two real kiosks: the timeline route and the kiosk's
 * `stats.timeline` give the same figures, and they agree with the stats route.
 */
let server: TestServer;
let eventId: string;
let kiosks: [TestKiosk, TestKiosk];

const scan = (k: TestKiosk, guestId: string) => must(k.kiosk, 'guests.scan', { code: codeOf(k, guestId) });
const syncAll = async () => {
  for (const k of kiosks) await k.kiosk.sync!.engine.syncOnce();
  for (const k of kiosks) await k.kiosk.sync!.engine.syncOnce();
};
const total = (t: Timeline) => t.buckets.reduce((n, b) => n + Object.values(b.byDoor).reduce((x, y) => x + y, 0), 0);
const nonEmpty = (t: Timeline) => t.buckets.filter((b) => Object.values(b.byDoor).some((n) => n > 0));

beforeAll(async () => {
  server = await startTestServer({ kind: 'pglite' });
  const made = await cluster(server, ['North', 'South']);
  eventId = made.eventId;
  kiosks = made.kiosks as [TestKiosk, TestKiosk];
  const [a, b] = kiosks;
  const ids = guestIds(a, 8);
  for (const id of ids.slice(0, 3)) expect(scan(a, id).status).toBe('checked_in');
  for (const id of ids.slice(3, 5)) expect(scan(b, id).status).toBe('checked_in');
  expect(scan(b, ids[0]!).status).toBe('checked_in'); // a duplicate: North stays the arrival
  const undone = scan(b, ids[5]!);
  must(b.kiosk, 'checkins.undo', { checkinId: undone.checkin!.id });
  await syncAll();
}, 120_000);

afterAll(async () => {
  for (const k of kiosks ?? []) k.kiosk.close();
  await server?.close();
});

describe('timeline', () => {
  it('adds up to the stats route, stacked by door, with every scan in the last hour', async () => {
    const t = await adminGet<Timeline>(server, `/v1/admin/events/${eventId}/timeline?bucket=300`);
    const stats = await adminGet<EventStats>(server, `/v1/admin/events/${eventId}/stats`);
    expect(t.bucketSeconds).toBe(300);
    expect(total(t)).toBe(stats.checkedIn);
    expect(stats.checkedIn).toBe(5);
    const byDoor = (door: string) => t.buckets.reduce((n, b) => n + (b.byDoor[door] ?? 0), 0);
    expect([byDoor('North'), byDoor('South')]).toEqual([3, 2]);
    expect(t.doors).toEqual(['North', 'South']);
    expect(t.desks.map((d) => d.door).sort()).toEqual(['North', 'South']);
    const scans = t.scansPerMinute.reduce((n, m) => n + Object.values(m.byDesk).reduce((x, y) => x + y, 0), 0);
    expect(scans).toBe(stats.checkIns); // every scan, the duplicate and the undone one too
    expect(t.forums.length).toBeGreaterThan(0);
  });

  it('is the same on a kiosk (stats.timeline, through the contract) as on the server', async () => {
    const server5 = await adminGet<Timeline>(server, `/v1/admin/events/${eventId}/timeline?bucket=300`);
    for (const k of kiosks) {
      const call = createDispatcher(k.kiosk.handlers);
      const result = call('stats.timeline', { bucketSeconds: 300 });
      expect(result.ok).toBe(true);
      const t = (result as { value: Timeline }).value;
      expect(nonEmpty(t)).toEqual(nonEmpty(server5));
      expect(t.doors).toEqual(server5.doors);
      expect(t.forums).toEqual(server5.forums);
      expect(t.desks).toEqual(server5.desks);
    }
    const refused = createDispatcher(kiosks[0].kiosk.handlers)('stats.timeline', { bucketSeconds: 5 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('refuses a bad bucket, a missing token and an unknown event', async () => {
    const get = (route: string, auth = true) =>
      fetch(`${server.url}${route}`, auth ? { headers: { authorization: `Bearer ${server.adminToken}` } } : {});
    const bad = await get(`/v1/admin/events/${eventId}/timeline?bucket=5`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    expect((await get(`/v1/admin/events/${eventId}/timeline`, false)).status).toBe(401);
    expect((await get(`/v1/admin/events/no-such-event/timeline`)).status).toBe(404);
    const hourly = await adminGet<Timeline>(server, `/v1/admin/events/${eventId}/timeline`);
    expect(hourly.bucketSeconds).toBe(300); // the default
  });
});
