import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import type { ForumScanResult, Guest, ScanResult, Stats } from '../../shared/domain.ts';
import type { Result } from '../../shared/result.ts';
import { openRosterKiosk, type RosterKiosk } from '../support/roster-kiosk.ts';
import { tempDir } from '../support/temp.ts';
import { testSecrets } from '../support/secrets.ts';
import { valueOf as value } from '../support/call.ts';

/**
 * "The door never lies", in the core: a scanner's double read is the same scan (decided in the core so the
 * CLI, the webcam and every host get it), room doors answer a full room and show who needs attention, and
 * the header's counters stay right after a re-import.
 */

interface Door {
  kiosk: Kiosk;
  call: (method: string, input: unknown) => Result<unknown>;
  clock: { ms: number };
  scan(code: string): ScanResult;
  find(query: string): Guest;
  events(): number;
  close(): void;
}

function openDoor(): Door {
  const dir = tempDir('door-truth');
  const clock = { ms: Date.parse('2026-05-29T01:30:00Z') };
  const kiosk = createKiosk({ dataDir: dir.dir, now: () => clock.ms, secrets: testSecrets });
  const call = createDispatcher(kiosk.handlers);
  value(call('event.loadDemo', {}));
  return {
    kiosk,
    call,
    clock,
    scan: (code) => value<ScanResult>(call('guests.scan', { code })),
    find: (query) => value<{ results: Guest[] }>(call('guests.search', { query, limit: 1 })).results[0]!,
    events: () => kiosk.db!.prepare(`SELECT count(*) FROM facts`).pluck().get() as number,
    close: () => {
      kiosk.close();
      dir.cleanup();
    },
  };
}

let door: Door | null = null;
let roster: RosterKiosk | null = null;
afterEach(() => {
  door?.close();
  door = null;
  roster?.close();
  roster = null;
});

describe('a repeat of the same code within 2 s is the same scan', () => {
  it('a double read 0.3 s later answers green again with the same check-in and writes nothing', () => {
    door = openDoor();
    const liu = door.find('liu qing');
    const first = door.scan(liu.codes[0]!);
    expect(first.status).toBe('checked_in');
    expect(first.repeat).toBeUndefined();

    door.clock.ms += 300;
    const again = door.scan(`${liu.codes[0]!}\r\n`);
    expect(again).toMatchObject({ status: 'checked_in', repeat: true, checkin: { id: first.checkin!.id } });
    expect(again.attention).toBe(first.attention);
    expect(door.events()).toBe(1);

    // 1.9 s after the first read: still the same scan; at 2 s it is the guest presenting again: amber.
    door.clock.ms += 1_599;
    expect(door.scan(liu.codes[0]!).repeat).toBe(true);
    door.clock.ms += 101;
    const later = door.scan(liu.codes[0]!);
    expect(later).toMatchObject({ status: 'already_checked_in', firstCheckin: { id: first.checkin!.id } });
    expect(later.repeat).toBeUndefined();
    expect(door.events()).toBe(1);
  });

  it('the badge the door prints on check-in does not end the window: a double read after it is still green', () => {
    door = openDoor();
    const liu = door.find('liu qing');
    const first = door.scan(liu.codes[0]!);
    expect(first.status).toBe('checked_in');
    // Print on check-in: the screen records the badge right after the answer, before the scanner's second read.
    value(door.call('badges.recordPrint', { guestId: liu.id, template: 'cr80', reason: '' }));
    door.clock.ms += 400;
    const again = door.scan(liu.codes[0]!);
    expect(again).toMatchObject({ status: 'checked_in', repeat: true, checkin: { id: first.checkin!.id } });
    expect(door.events()).toBe(2);
    // Another guest's badge printed in between is something else the door did: the window ends.
    const anna = door.find('anna muller');
    value(door.call('badges.recordPrint', { guestId: anna.id, template: 'cr80', reason: '' }));
    expect(door.scan(liu.codes[0]!).status).toBe('already_checked_in');
  });

  it('anything the kiosk did in between ends the window: another check-in, an undo', () => {
    door = openDoor();
    const [a, b] = [door.find('liu qing'), door.find('anna muller')];
    door.scan(a.codes[0]!);
    door.scan(b.codes[0]!);
    // A, B, A within a second: A really came back (or was handed back): amber, not a repeat.
    expect(door.scan(a.codes[0]!).status).toBe('already_checked_in');

    const bAgain = door.scan(b.codes[0]!);
    expect(bAgain.repeat).toBe(true);
    value(door.call('checkins.undo', { checkinId: bAgain.checkin!.id }));
    // Undone, then the badge is read again at once: a new check-in, not the voided one repeated.
    const afterUndo = door.scan(b.codes[0]!);
    expect(afterUndo.status).toBe('checked_in');
    expect(afterUndo.repeat).toBeUndefined();
    expect(afterUndo.checkin!.id).not.toBe(bAgain.checkin!.id);
  });

  it('a search check-in then a scan of that guest is not a repeat (only a scanner reads twice)', () => {
    door = openDoor();
    const liu = door.find('liu qing');
    value(door.call('guests.checkIn', { guestId: liu.id }));
    expect(door.scan(liu.codes[0]!).status).toBe('already_checked_in');
  });

  it('a clock set back is never inside the window', () => {
    door = openDoor();
    const liu = door.find('liu qing');
    door.scan(liu.codes[0]!);
    door.clock.ms -= 60_000;
    expect(door.scan(liu.codes[0]!).status).toBe('already_checked_in');
  });

  it('the window can be turned off for a kiosk', () => {
    const dir = tempDir('door-truth-off');
    const kiosk = createKiosk({ dataDir: dir.dir, now: Date.now, secrets: testSecrets, sameScanWindowMs: 0 });
    try {
      const call = createDispatcher(kiosk.handlers);
      value(call('event.loadDemo', {}));
      const liu = value<{ results: Guest[] }>(call('guests.search', { query: 'liu qing', limit: 1 })).results[0]!;
      value(call('guests.scan', { code: liu.codes[0]! }));
      expect(value<ScanResult>(call('guests.scan', { code: liu.codes[0]! })).status).toBe('already_checked_in');
    } finally {
      kiosk.close();
      dir.cleanup();
    }
  });
});

describe('room doors', () => {
  const roomScan = (d: Door, code: string, admitAnyway = false) =>
    value<ForumScanResult>(d.call('forums.scan', { code, forumId: 'it', direction: 'in', admitAnyway }));
  const setCapacity = (d: Door, capacity: number) => {
    const forum = value<{ forums: Array<Record<string, unknown>> }>(d.call('forums.list', {})).forums.find(
      (f) => f['id'] === 'it',
    )!;
    const { assigned: _a, arrived: _b, inside: _c, ...plain } = forum;
    value(d.call('forums.update', { forum: { ...plain, capacity } }));
  };

  it('a full room is amber "room full"; admitting anyway is recorded as an override', () => {
    door = openDoor();
    setCapacity(door, 1);
    const [a, b] = [door.find('anna muller'), door.find('liu qing')];
    expect(roomScan(door, a.codes[0]!)).toMatchObject({ status: 'entered', inside: 1, admittedAnyway: false });
    door.clock.ms += 5_000;
    const full = roomScan(door, b.codes[0]!);
    expect(full).toMatchObject({ status: 'room_full', inside: 1, capacity: 1, admittedAnyway: false });
    expect(door.events()).toBe(1);

    const anyway = roomScan(door, b.codes[0]!, true);
    expect(anyway).toMatchObject({ status: 'entered', inside: 2, admittedAnyway: true });
    const row = door.kiosk
      .db!.prepare(
        `SELECT e.payload, f.admitted_anyway FROM facts e JOIN forum_entries f ON f.fact_id = e.id
         WHERE e.guest_id = ? AND e.type = 'forum_entry'`,
      )
      .get(b.id) as { payload: string; admitted_anyway: number };
    expect(row.admitted_anyway).toBe(1);
    expect(JSON.parse(row.payload)).toMatchObject({ admittedAnyway: true, overrides: ['room_full'] });
  });

  it('the attention note shows at the room door, and a guest never checked in at the venue is flagged', () => {
    door = openDoor();
    const liu = door.find('liu qing'); // a speaker: the demo gives her an attention note
    const notYet = roomScan(door, liu.codes[0]!);
    expect(notYet.status).toBe('entered');
    expect(notYet.attention).toContain('Speaker');
    expect(notYet.notArrived).toBe(true);

    const anna = door.find('anna muller');
    door.scan(anna.codes[0]!);
    door.clock.ms += 5_000;
    expect(roomScan(door, anna.codes[0]!)).toMatchObject({ status: 'entered', notArrived: false });
    expect(roomScan(door, 'no-such-code')).toMatchObject({
      status: 'unknown_code',
      attention: null,
      notArrived: false,
    });
  });

  it('a double read at a room door is the entry just made, not "already inside"', () => {
    door = openDoor();
    const anna = door.find('anna muller');
    roomScan(door, anna.codes[0]!);
    door.clock.ms += 400;
    expect(roomScan(door, anna.codes[0]!)).toMatchObject({ status: 'entered', repeat: true, inside: 1 });
    door.clock.ms += 3_000;
    expect(roomScan(door, anna.codes[0]!).status).toBe('already_inside');
  });
});

describe('counters after an import or a removal', () => {
  it('"checked in" counts guests on the roster only; removed guests keep their check-ins in log and export', async () => {
    roster = openRosterKiosk(false);
    const k = roster;
    const stats = () => value<Stats>(k.call('stats.get', {}));
    const v1 = 'Name,Company,Email,Code\r\nAnna Müller,ACME,anna@acme.de,A-1\r\nBo Chen,Lab,bo@lab.cn,B-2\r\n';
    await k.importFile('v1.csv', Buffer.from(v1), { preset: '', dryRun: false, mapping: null, list: 'Guests' });
    value(k.call('guests.scan', { code: 'A-1' }));
    value(k.call('guests.scan', { code: 'B-2' }));
    expect(stats()).toMatchObject({ guests: 2, checkedIn: 2 });

    // The complete list again: Bo is gone from it (removed), three newcomers arrive.
    const v2 =
      'Name,Company,Email,Code\r\nAnna Müller,ACME,anna@acme.de,A-1\r\nCy Dee,X,cy@x.org,C-3\r\nDi Eh,Y,di@y.org,D-4\r\nEd Fo,Z,ed@z.org,E-5\r\n';
    await k.importFile('v2.csv', Buffer.from(v2), {
      preset: '',
      dryRun: false,
      mapping: null,
      list: 'Guests',
      replace: true,
    });
    expect(stats()).toMatchObject({ guests: 4, checkedIn: 1, checkinEvents: 2 });

    const { bytes } = await k.exportFile('csv', '');
    const csv = bytes.toString('utf8');
    expect(csv).toContain('Bo Chen');
    expect(k.count(`SELECT count(*) AS n FROM facts WHERE type = 'check_in'`)).toBe(2);

    // A walk-in is on the roster and counts.
    value(k.call('guests.walkIn', { name: 'Fay Gu', organization: '', email: '', role: 'guest' }));
    expect(stats()).toMatchObject({ guests: 5, checkedIn: 2, walkIns: 1 });
  });
});
