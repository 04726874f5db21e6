import { afterEach, describe, expect, it } from 'vitest';
import { demoEvent, generateRoster } from '../../electron/core/demo/generate.ts';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { writeEvent } from '../../electron/core/event/store.ts';
import { FactLog } from '../../electron/core/facts/log.ts';
import { GuestStore } from '../../electron/core/guests/store.ts';
import { createKiosk } from '../../electron/core/kiosk.ts';
import { attendanceRows } from '../../electron/core/roster/attendance.ts';
import type { ForumStatus, ScanResult, Stats } from '../../shared/domain.ts';
import type { ConflictList } from '../../shared/sync/status.ts';
import { btreesWritten } from '../support/btrees-written.ts';
import { checkInFacts } from '../support/check-in-facts.ts';
import { databaseAtVersion } from '../support/old-schema.ts';
import { OldCheckinWriter } from '../support/old-checkins.ts';
import { testSecrets } from '../support/secrets.ts';
import { tempDir } from '../support/temp.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('migration 23: attendance derived from the check-ins, not written with each', () => {
  it('keeps every attendance row of a schema-22 kiosk as the view, and every reader answers as before', () => {
    const t = tempDir('attendance-derived-migration');
    cleanups.push(t.cleanup);
    const roster = generateRoster(40, 3).filter((g) => g.status === 'active');
    const [arrived, undone, twice, again, never] = roster;
    let wall = 1_790_000_100_000;
    const raw = databaseAtVersion(t.dir, 22, roster, (raw) => {
      raw.prepare(`INSERT INTO meta (key, value) VALUES ('device_id', 'deviceA')`).run();
    });
    // Schema 22's projections as its code wrote them: a live check-in; one undone; a guest checked in here
    // and earlier at another kiosk (a duplicate, the other kiosk's is the arrival); one undone and in again.
    const facts = new FactLog(raw, 'deviceA', () => (wall += 1000));
    const old = new OldCheckinWriter(raw, facts);
    const own = raw.transaction(() => {
      const first = old.checkIn(arrived!.id, 'scan', arrived!.codes[0]!);
      old.undo(old.checkIn(undone!.id, 'search', '').id, undone!.id);
      const second = old.checkIn(twice!.id, 'scan', twice!.codes[0]!);
      const pulled = checkInFacts('deviceB', 1, 1).map((f) => ({ ...f, guestId: twice!.id }));
      facts.insertRemoteMany(pulled.map((f) => ({ ...f, receivedAt: 1_790_000_200_000 })));
      old.applyPulled(pulled);
      old.undo(old.checkIn(again!.id, 'scan', again!.codes[0]!).id, again!.id);
      const back = old.checkIn(again!.id, 'search', '');
      return { first, second, pulled: pulled[0]!, back };
    })();
    const before = {
      attendance: raw.prepare(`SELECT * FROM attendance ORDER BY guest_id`).all(),
      checkins: raw.prepare(`SELECT * FROM checkins ORDER BY fact_id`).all(),
      voids: raw.prepare(`SELECT * FROM checkin_voids ORDER BY checkin_fact_id`).all(),
    };
    expect(before.attendance).toEqual(
      [
        { guest_id: arrived!.id, live_checkins: 1, first_fact_id: own.first.id },
        { guest_id: twice!.id, live_checkins: 2, first_fact_id: own.pulled.id },
        { guest_id: again!.id, live_checkins: 1, first_fact_id: own.back.id },
      ].sort((a, b) => (a.guest_id < b.guest_id ? -1 : 1)),
    );
    raw.close();

    const kiosk = createKiosk({ dataDir: t.dir, now: () => (wall += 1000), secrets: testSecrets });
    cleanups.unshift(() => kiosk.close());
    const db = kiosk.db!;
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(23);
    expect(db.prepare(`SELECT type FROM sqlite_master WHERE name = 'attendance'`).pluck().all()).toEqual(['view']);
    expect(db.prepare(`SELECT * FROM attendance ORDER BY guest_id`).all()).toEqual(before.attendance);
    expect(db.prepare(`SELECT * FROM checkins ORDER BY fact_id`).all()).toEqual(before.checkins);
    expect(db.prepare(`SELECT * FROM checkin_voids ORDER BY checkin_fact_id`).all()).toEqual(before.voids);
    expect(db.pragma('foreign_key_check')).toEqual([]);

    // Every reader of attendance: the guest (in or not, arrival time and door, count), the export, the
    // door's counts, the duplicates list, the door's decision.
    const guests = new GuestStore(db);
    expect(guests.get(arrived!.id)).toMatchObject({
      checkedIn: true,
      checkedInAt: own.first.at,
      checkedInDoor: 'North',
      checkinCount: 1,
    });
    expect(guests.get(twice!.id)).toMatchObject({
      checkedIn: true,
      checkedInAt: new Date(own.pulled.wallMs).toISOString(),
      checkinCount: 2,
    });
    expect(guests.get(again!.id)).toMatchObject({ checkedIn: true, checkedInAt: own.back.at, checkinCount: 1 });
    expect(guests.get(undone!.id)).toMatchObject({ checkedIn: false, checkedInAt: null, checkinCount: 0 });
    expect(guests.get(never!.id)).toMatchObject({ checkedIn: false, checkedInAt: null, checkedInDoor: null });
    const rows = attendanceRows(db, 'UTC', '');
    const row = (name: string) => rows.find((r) => r.name === name)!;
    expect(row(twice!.displayName)).toMatchObject({ checkinCount: 2, duplicates: 1, door: 'North' });
    expect(row(arrived!.displayName)).toMatchObject({ checkinCount: 1, duplicates: 0, checkedInBy: 'Ada' });
    expect(row(again!.displayName)).toMatchObject({ checkedIn: true, checkinCount: 1, voided: 1, duplicates: 0 });
    expect(row(undone!.displayName)).toMatchObject({ checkedIn: false, checkinCount: 0, voided: 1, door: '' });

    const call = createDispatcher(kiosk.handlers);
    const value = <T>(method: string, input: unknown): T => {
      const result = call(method as 'stats.get', input as never);
      if (!result.ok) throw new Error(result.error.message);
      return result.value as T;
    };
    expect(value<Stats>('stats.get', {})).toMatchObject({ checkedIn: 3, checkinEvents: 6, voided: 2 });
    expect(value<ConflictList>('sync.conflicts', {}).duplicates.map((d) => d.guestId)).toEqual([twice!.id]);
    // Forum arrivals count the assigned guests who are in: twice and again, not undone nor never.
    for (const g of [twice, again, undone, never])
      value('forums.assign', { guestId: g!.id, forumId: 'biomed', overrideReason: '' });
    const forums = value<{ forums: ForumStatus[] }>('forums.list', {}).forums;
    expect(forums.find((f) => f.id === 'biomed')).toMatchObject({ assigned: 4, arrived: 2 });
    const scanned = value<ScanResult>('guests.scan', { code: twice!.codes[0]! });
    expect(scanned.status).toBe('already_checked_in');
    expect(scanned.firstCheckin?.id).toBe(own.pulled.id);
    expect(value<ScanResult>('guests.scan', { code: undone!.codes[0]! }).status).toBe('checked_in');
    expect(value<Stats>('stats.get', {})).toMatchObject({ checkedIn: 4, checkinEvents: 7 });
  });

  it('a scan commits pages of four B-trees: the fact and its id key, the check-in and checkins_by_guest', () => {
    const t = tempDir('attendance-derived-pages');
    cleanups.push(t.cleanup);
    const roster = generateRoster(400, 5).filter((g) => g.status === 'active');
    let wall = 1_790_000_000_000;
    const kiosk = createKiosk({ dataDir: t.dir, now: () => (wall += 1000), secrets: testSecrets });
    cleanups.unshift(() => kiosk.close());
    const db = kiosk.db!;
    db.transaction(() => {
      writeEvent(db, demoEvent);
      new GuestStore(db).insertMany(roster);
    })();
    const call = createDispatcher(kiosk.handlers);
    const written = new Set<string>();
    for (const guest of roster.slice(0, 30)) {
      for (const name of btreesWritten(db, () => {
        const result = call('guests.scan', { code: guest.codes[0]! });
        expect(result.ok && (result.value as ScanResult).status).toBe('checked_in');
      }))
        written.add(name);
    }
    expect([...written].sort()).toEqual(['checkins', 'checkins_by_guest', 'facts', 'sqlite_autoindex_facts_1']);
  });
});
