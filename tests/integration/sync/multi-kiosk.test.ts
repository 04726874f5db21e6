import { afterAll, describe, expect, it } from 'vitest';
import type { EventStats } from '../../../shared/sync/protocol.ts';
import {
  adminGet,
  cluster,
  codeOf,
  guestIds,
  startTestServer,
  visibleState,
  type TestKiosk,
  type TestServer,
} from '../../support/sync-server.ts';
import { must } from '../../support/call.ts';

const servers: TestServer[] = [];
const kiosksToClose: TestKiosk[] = [];
afterAll(async () => {
  for (const k of kiosksToClose) k.kiosk.close();
  for (const s of servers) await s.close();
});

const permutations = (xs: number[]): number[][] =>
  xs.length <= 1
    ? [xs]
    : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));

/**
 * Issue 6's multi-kiosk scenario: three doors offline, the same badge admitted at two of them, a void on
 * one kiosk of its own check-in of a guest also admitted elsewhere; then sync in every order.
 */
describe('three kiosks and the server, synced in every order', () => {
  for (const order of permutations([0, 1, 2])) {
    it(`order ${order.join(' → ')}: each event once, same state everywhere, one duplicate`, async () => {
      const server = await startTestServer({ kind: 'pglite' });
      servers.push(server);
      const { eventId, kiosks } = await cluster(server, ['North', 'South', 'Forum hall']);
      kiosksToClose.push(...kiosks);
      const [a, b, c] = kiosks as [TestKiosk, TestKiosk, TestKiosk];
      const ids = guestIds(a, 20);
      const scan = (k: TestKiosk, guestId: string) => must(k.kiosk, 'guests.scan', { code: codeOf(k, guestId) });

      // Offline: distinct guests on each door, guest X on both A and B, guest Y on A and C, then C voids its own.
      for (const id of ids.slice(0, 5)) expect(scan(a, id).status).toBe('checked_in');
      for (const id of ids.slice(5, 10)) expect(scan(b, id).status).toBe('checked_in');
      for (const id of ids.slice(10, 14)) expect(scan(c, id).status).toBe('checked_in');
      const x = ids[15]!;
      const y = ids[16]!;
      expect(scan(a, x).status).toBe('checked_in');
      expect(scan(b, x).status).toBe('checked_in');
      expect(scan(a, y).status).toBe('checked_in');
      const cy = scan(c, y);
      expect(cy.status).toBe('checked_in');
      must(c.kiosk, 'checkins.undo', { checkinId: cy.checkin!.id });
      const walkIn = must(b.kiosk, 'guests.walkIn', {
        name: 'Zoë Dubois',
        organization: 'Institut Pasteur',
        email: '',
        role: 'guest',
      });

      for (let round = 0; round < 2; round++) {
        for (const i of order) await kiosks[i]!.kiosk.sync!.engine.syncOnce();
      }

      const localEvents = kiosks.map((k) => {
        const deviceId = must(k.kiosk, 'app.status', {}).device!.id;
        return k.kiosk.db!.prepare(`SELECT count(*) FROM facts WHERE device_id = ?`).pluck().get(deviceId) as number;
      });
      const stats = await adminGet<EventStats>(server, `/v1/admin/events/${eventId}/stats`);
      expect(stats.facts).toBe(localEvents.reduce((s, n) => s + n, 0));
      expect(stats.duplicates).toBe(1);
      expect(stats.checkIns).toBe(5 + 5 + 4 + 2 + 2 + 1);
      expect(stats.checkedIn).toBe(5 + 5 + 4 + 1 + 1 + 1);
      expect(stats.voided).toBe(1);
      const rows = await server.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT device_id, device_seq FROM fact_log GROUP BY 1, 2 HAVING count(*) > 1) d`,
        [],
      );
      expect(rows[0]!.n).toBe(0);

      const states = kiosks.map(visibleState);
      expect(states[1]).toEqual(states[0]);
      expect(states[2]).toEqual(states[0]);
      for (const k of kiosks) {
        const list = must(k.kiosk, 'sync.conflicts', {});
        expect(list.duplicates.map((d) => d.guestId)).toEqual([x]);
        expect(list.duplicates[0]!.checkins.map((ci) => ci.door).sort()).toEqual(['North', 'South']);
        // Y is still in: C's void removed only C's own check-in.
        expect(must(k.kiosk, 'guests.get', { guestId: y }).checkedIn).toBe(true);
        expect(must(k.kiosk, 'guests.get', { guestId: walkIn.guest!.id }).name).toBe('Zoë Dubois');
        expect(k.kiosk.sync!.engine.status().pending).toBe(0);
        expect(k.kiosk.sync!.engine.status().state).toBe('online');
      }
    });
  }
});
