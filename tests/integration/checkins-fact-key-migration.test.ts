import { afterEach, describe, expect, it } from 'vitest';
import { generateRoster } from '../../electron/core/demo/generate.ts';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { FactLog } from '../../electron/core/facts/log.ts';
import { GuestStore } from '../../electron/core/guests/store.ts';
import { createKiosk } from '../../electron/core/kiosk.ts';
import { attendanceRows } from '../../electron/core/roster/attendance.ts';
import { checkInFacts } from '../support/check-in-facts.ts';
import { databaseAtVersion } from '../support/old-schema.ts';
import { OldCheckinWriter } from '../support/old-checkins.ts';
import { testSecrets } from '../support/secrets.ts';
import { tempDir } from '../support/temp.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('migration 22: checkins without a key on fact_id', () => {
  it('keeps every check-in, void and attendance row, and finds a check-in by its fact afterwards', () => {
    const t = tempDir('checkins-fact-key-migration');
    cleanups.push(t.cleanup);
    const roster = generateRoster(40, 3).filter((g) => g.status === 'active');
    const [arrived, undone, twice] = roster;
    let wall = 1_790_000_100_000;
    const raw = databaseAtVersion(t.dir, 21, roster, (raw) => {
      raw.prepare(`INSERT INTO meta (key, value) VALUES ('device_id', 'deviceA')`).run();
    });
    // Schema 21's projections as its code wrote them: a live check-in, an undone one, and a guest checked
    // in here and (earlier, so the arrival) at another kiosk.
    const facts = new FactLog(raw, 'deviceA', () => (wall += 1000));
    const old = new OldCheckinWriter(raw, facts);
    const own = raw.transaction(() => {
      const first = old.checkIn(arrived!.id, 'scan', arrived!.codes[0]!);
      const voided = old.checkIn(undone!.id, 'search', '');
      old.undo(voided.id, undone!.id);
      const second = old.checkIn(twice!.id, 'scan', twice!.codes[0]!);
      const pulled = checkInFacts('deviceB', 1, 1).map((f) => ({ ...f, guestId: twice!.id }));
      facts.insertRemoteMany(pulled.map((f) => ({ ...f, receivedAt: 1_790_000_200_000 })));
      old.applyPulled(pulled);
      return { first, voided, second, pulled: pulled[0]! };
    })();
    const before = {
      checkins: raw.prepare(`SELECT * FROM checkins ORDER BY fact_id`).all(),
      voids: raw.prepare(`SELECT * FROM checkin_voids ORDER BY checkin_fact_id`).all(),
      attendance: raw.prepare(`SELECT * FROM attendance ORDER BY guest_id`).all(),
    };
    expect(before.checkins).toHaveLength(4);
    expect(before.attendance).toHaveLength(2);
    raw.close();

    const kiosk = createKiosk({ dataDir: t.dir, now: () => (wall += 1000), secrets: testSecrets });
    cleanups.unshift(() => kiosk.close());
    const db = kiosk.db!;
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(22);
    // No unique key on fact_id: only the table (its primary key) and checkins_by_guest.
    expect(db.prepare(`SELECT name, origin FROM pragma_index_list('checkins') ORDER BY name`).all()).toEqual([
      { name: 'checkins_by_guest', origin: 'c' },
      { name: 'sqlite_autoindex_checkins_1', origin: 'pk' },
    ]);
    const pointsAt = (table: string) =>
      db.prepare(`SELECT "from", "table", "to" FROM pragma_foreign_key_list(?) ORDER BY "from"`).all(table);
    // attendance.first_fact_id pointed at facts (id) until migration 23 made attendance a derived view.
    expect(pointsAt('checkin_voids')).toContainEqual({ from: 'checkin_fact_id', table: 'facts', to: 'id' });
    expect(db.prepare(`SELECT * FROM checkins ORDER BY fact_id`).all()).toEqual(before.checkins);
    expect(db.prepare(`SELECT * FROM checkin_voids ORDER BY checkin_fact_id`).all()).toEqual(before.voids);
    expect(db.prepare(`SELECT * FROM attendance ORDER BY guest_id`).all()).toEqual(before.attendance);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name LIKE '%_before'`).all()).toEqual([]);

    // Every reader that found a check-in by its fact: the guest (arrival time and door), the attendance
    // export (arrival, the other device's live check-in), an undo by check-in id.
    const guests = new GuestStore(db);
    expect(guests.get(arrived!.id)).toMatchObject({
      checkedIn: true,
      checkedInAt: own.first.at,
      checkedInDoor: 'North',
    });
    expect(guests.get(twice!.id)).toMatchObject({ checkedInAt: new Date(own.pulled.wallMs).toISOString() });
    expect(guests.get(undone!.id)).toMatchObject({ checkedIn: false, checkedInAt: null });
    const rows = attendanceRows(db, 'UTC', '');
    const row = (name: string) => rows.find((r) => r.name === name)!;
    expect(row(twice!.displayName)).toMatchObject({ checkinCount: 2, duplicates: 1, door: 'North' });
    expect(row(arrived!.displayName)).toMatchObject({ checkinCount: 1, duplicates: 0, checkedInBy: 'Ada' });
    expect(row(undone!.displayName)).toMatchObject({ checkedIn: false, voided: 1 });

    const call = createDispatcher(kiosk.handlers);
    const undo = call('checkins.undo', { checkinId: own.second.id });
    expect(undo.ok && (undo.value as { voided: { id: string } }).voided.id).toBe(own.second.id);
    // The other kiosk's check-in is still live, and is still the arrival.
    expect(guests.get(twice!.id)).toMatchObject({ checkedIn: true, checkinCount: 1 });
    const again = call('checkins.undo', { checkinId: own.second.id });
    expect(!again.ok && again.error.code).toBe('checkin_already_voided');
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});
