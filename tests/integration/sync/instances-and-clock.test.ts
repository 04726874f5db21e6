import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStats } from '../../../shared/sync/protocol.ts';
import {
  adminGet,
  codeOf,
  guestIds,
  newKiosk,
  pairingCode,
  publish,
  startPostgres,
  startTestServer,
  visibleState,
  type TestKiosk,
  type TestServer,
} from '../../support/sync-server.ts';
import { must } from '../../support/call.ts';

/**
 * Two server instances on one PostgreSQL behind no shared memory (stateless between requests), and a
 * kiosk whose clock is ten minutes off: it keeps syncing and shows the warning (R10).
 */
const pg: { server: Awaited<ReturnType<typeof startPostgres>> | null } = { server: null };
const servers: TestServer[] = [];
const kiosks: TestKiosk[] = [];
beforeAll(async () => {
  pg.server = await startPostgres();
}, 120_000);
afterAll(async () => {
  for (const k of kiosks) k.kiosk.close();
  for (const s of servers) await s.close();
  await pg.server?.stop();
});

describe('scale-out and clock skew', () => {
  it('two instances on one PostgreSQL serve kiosks as one server; a skewed kiosk warns and syncs', async () => {
    const url = await pg.server!.newDatabase();
    const one = await startTestServer({ kind: 'postgres', url });
    const two = await startTestServer({ kind: 'postgres', url });
    servers.push(one, two);
    const organiser = newKiosk('Registration');
    const skewed = newKiosk('Side door');
    kiosks.push(organiser, skewed);
    must(organiser.kiosk, 'event.loadDemo', {});
    const eventId = await publish(one, organiser.kiosk);
    // A pairing code made on one instance is redeemed on the other.
    await organiser.kiosk.sync!.engine.pair(one.url, await pairingCode(two, eventId, 'Registration'));
    skewed.clock.skewMs = -10 * 60_000;
    await skewed.kiosk.sync!.engine.pair(two.url, await pairingCode(one, eventId, 'Side door'));

    const [g1, g2] = guestIds(organiser, 2) as [string, string];
    must(organiser.kiosk, 'guests.scan', { code: codeOf(organiser, g1) });
    must(skewed.kiosk, 'guests.scan', { code: codeOf(skewed, g1) });
    must(skewed.kiosk, 'guests.scan', { code: codeOf(skewed, g2) });
    for (let round = 0; round < 2; round++) {
      await organiser.kiosk.sync!.engine.syncOnce();
      await skewed.kiosk.sync!.engine.syncOnce();
    }
    expect(visibleState(skewed)).toEqual(visibleState(organiser));
    for (const instance of [one, two]) {
      const stats = await adminGet<EventStats>(instance, `/v1/admin/events/${eventId}/stats`);
      expect(stats).toMatchObject({ checkedIn: 2, checkIns: 3, duplicates: 1, devices: 2 });
    }
    const status = skewed.kiosk.sync!.engine.status();
    expect(status.state).toBe('online');
    expect(status.clockWarning).toBe(true);
    expect(status.clockOffsetMs).toBeGreaterThan(9 * 60_000);
    expect(status.clockOffsetMs).toBeLessThan(11 * 60_000);
    expect(organiser.kiosk.sync!.engine.status().clockWarning).toBe(false);
    // Both kiosks list the same duplicate with the same arrival (earliest HLC), skew or not.
    const dup = must(organiser.kiosk, 'sync.conflicts', {}).duplicates[0]!;
    expect(must(skewed.kiosk, 'sync.conflicts', {}).duplicates[0]!.checkins).toEqual(dup.checkins);
  });
});
