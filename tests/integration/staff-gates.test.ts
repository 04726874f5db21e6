import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import type { MethodName } from '../../shared/contract.ts';
import type { Checkin, ForumStatus, Guest, ScanResult } from '../../shared/domain.ts';
import type { ErrorCode, Result } from '../../shared/result.ts';
import type { StaffMember, StaffSession } from '../../shared/staff/schemas.ts';
import { supervisorGates } from '../../shared/staff/gates.ts';
import { openRosterKiosk } from '../support/roster-kiosk.ts';
import { testSecrets } from '../support/secrets.ts';
import { tempDir } from '../support/temp.ts';
import { valueOf as value } from '../support/call.ts';

/**
 * Staff and supervisors (issue 11): every gated method refused for door staff, allowed once a supervisor
 * typed their PIN at the prompt, and the approving supervisor recorded as the actor; door staff undo only
 * their own recent check-ins.
 */

let dir: { dir: string; cleanup: () => void };
let clock: number;
let kiosk: Kiosk;
let screen: (method: MethodName, input: unknown) => Result<unknown>;
let owner: (method: MethodName, input: unknown) => Result<unknown>;
let anna: StaffMember;
let chen: StaffMember;

const errorCode = (r: Result<unknown>): ErrorCode | null => (r.ok ? null : r.error.code);
const guestId = (query: string) =>
  value<{ results: Guest[] }>(owner('guests.search', { query, limit: 1 })).results[0]!.id;
const signIn = (name: string, pin: string) => value<StaffSession>(screen('staff.signIn', { name, pin }));
const actorOf = (eventId: string) =>
  kiosk.db!.prepare(`SELECT actor FROM facts WHERE id = ?`).pluck().get(eventId) as string;
const lastEvent = (type: string) =>
  kiosk.db!.prepare(`SELECT id, actor FROM facts WHERE type = ? ORDER BY device_seq DESC LIMIT 1`).get(type) as {
    id: string;
    actor: string;
  };
const checkInAs = (name: string, pin: string, query: string): Checkin => {
  signIn(name, pin);
  return value<ScanResult>(screen('guests.checkIn', { guestId: guestId(query) })).checkin!;
};

function open(): void {
  kiosk = createKiosk({ dataDir: dir.dir, now: () => clock, secrets: testSecrets });
  screen = createDispatcher(kiosk.handlers);
  owner = createDispatcher(kiosk.ownerHandlers);
}

beforeEach(() => {
  dir = tempDir('staff');
  clock = Date.parse('2026-05-29T09:00:00Z');
  open();
  value(screen('event.loadDemo', {})); // a fresh kiosk without staff is open to whoever stands at it
  value(owner('staff.add', { name: 'Bernd Vogel', role: 'supervisor', pin: '9876' }));
  anna = value<StaffMember>(owner('staff.add', { name: 'Anna Li', role: 'door', pin: '1234' }));
  chen = value<StaffMember>(owner('staff.add', { name: 'Chen Wei', role: 'door', pin: '5555' }));
});
afterEach(() => {
  kiosk.close();
  dir.cleanup();
});

/** What each gated call needs to be a gated call; `after` is the answer once a supervisor approved. */
interface Sample {
  input: () => unknown;
  after?: ErrorCode;
}
const forumToEdit = () => {
  const forum = value<{ forums: ForumStatus[] }>(owner('forums.list', {})).forums[0]!;
  const { assigned: _a, arrived: _b, inside: _c, ...plain } = forum;
  return plain;
};
const samples: { [M in MethodName]?: Sample } = {
  'event.loadDemo': { input: () => ({}), after: 'event_exists' },
  'event.create': { input: () => ({ name: { en: 'Another event' } }), after: 'event_exists' },
  'event.update': { input: () => ({ venue: { en: 'Hall 2' } }) },
  'forums.add': { input: () => ({ forum: { id: 'robotics', name: { en: 'Robotics' } } }) },
  'forums.update': { input: () => ({ forum: { ...forumToEdit(), room: 'B-204' } }) },
  'forums.reorder': {
    input: () => ({
      forumIds: value<{ forums: ForumStatus[] }>(owner('forums.list', {}))
        .forums.map((f) => f.id)
        .reverse(),
    }),
  },
  'forums.remove': { input: () => ({ forumId: forumToEdit().id, moveTo: '' }) },
  'forums.autoAssign': { input: () => ({ dryRun: false }) },
  'forums.assign': {
    input: () => {
      const forum = { ...forumToEdit(), capacity: 0 };
      value(owner('forums.update', { forum }));
      return { guestId: guestId('liu qing'), forumId: forum.id, overrideReason: 'Panel speaker' };
    },
  },
  'badges.recordPrint': {
    input: () => {
      const id = guestId('anna muller');
      value(screen('badges.recordPrint', { guestId: id, template: 'cr80', reason: '' })); // the first is door staff's
      return { guestId: id, template: 'cr80', reason: 'badge torn' };
    },
  },
  'badges.setSettings': {
    input: () => ({ settings: { ...value<object>(owner('badges.settings', {})), printOnCheckIn: true } }),
  },
  'checkins.undo': {
    input: () => {
      const checkin = checkInAs('Chen Wei', '5555', 'liu qing');
      signIn('Anna Li', '1234');
      return { checkinId: checkin.id };
    },
  },
  'roster.import': {
    input: () => ({ uploadId: 'no-such-upload', mapping: {}, dryRun: false, replace: true }),
    after: 'upload_not_found',
  },
  'roster.export': { input: () => ({ format: 'csv', forumId: '' }) },
  'codes.revoke': { input: () => ({ guestId: guestId('anna muller'), reason: 'lost badge' }) },
  'codes.setPolicy': { input: () => ({ carryDetails: true }) },
  'codes.rotateSecret': { input: () => ({}) },
  'codes.setSecretStatus': {
    input: () => {
      value(owner('codes.rotateSecret', {})); // generation 1 is then an older one
      return { generation: 1, status: 'revoked' };
    },
  },
  'keys.trust': { input: () => ({ keyId: 4000, publicKey: 'ab'.repeat(32) }) },
  'keys.rotate': { input: () => ({}) },
  'keys.setStatus': {
    input: () => {
      const newest = value<{ keyId: number }>(owner('keys.rotate', {})).keyId;
      const keys = value<{ keys: Array<{ keyId: number; kind: string }> }>(owner('keys.list', {})).keys;
      const older = keys.find((k) => k.kind === 'event' && k.keyId !== newest)!;
      return { keyId: older.keyId, status: 'retired' };
    },
  },
  'sync.pair': { input: () => ({ url: 'http://127.0.0.1:9', code: 'ABCD-EFGH' }) },
  // An address not this machine's: refused before anything listens.
  'hub.start': { input: () => ({ host: '203.0.113.77' }), after: 'hub_address_unknown' },
  'hub.stop': { input: () => ({}) },
  'hub.newPairing': { input: () => ({ name: 'East door' }), after: 'hub_not_running' },
  'handoff.exportSetup': { input: () => ({ passphrase: 'eight chars' }) },
  'handoff.setupFromFile': { input: () => ({ text: '{}', passphrase: '' }), after: 'event_exists' },
  'backups.configure': { input: () => ({ folder: '', intervalMinutes: 5, keep: 3 }) },
  'backups.now': { input: () => ({}) },
  'event.close': {
    input: () => {
      value(owner('guests.checkIn', { guestId: guestId('liu qing') })); // a record not on any server
      return { force: false };
    },
    after: 'unsynced_events',
  },
  'kiosk.setPin': { input: () => ({ currentPin: '', newPin: '24680' }) },
  'staff.add': { input: () => ({ name: 'Dora Neu', role: 'door', pin: '2468' }) },
  'staff.remove': {
    input: () => ({
      staffId: value<StaffMember>(owner('staff.add', { name: 'Temp', role: 'door', pin: '1357' })).id,
    }),
  },
  'staff.setPin': { input: () => ({ staffId: chen.id, pin: '5556' }) },
  'staff.setUndoWindow': { input: () => ({ minutes: 10 }) },
  'selfService.start': { input: () => ({}) },
};

describe('supervisor gates', () => {
  it('has a sample call for every gated method', () => {
    expect(Object.keys(samples).sort()).toEqual(Object.keys(supervisorGates).sort());
  });

  for (const method of Object.keys(supervisorGates) as MethodName[]) {
    it(`${method}: refused for door staff, allowed after a supervisor's PIN, the supervisor recorded`, () => {
      const sample = samples[method]!;
      signIn('Anna Li', '1234');
      const input = sample.input();
      const eventsBefore = kiosk.db!.prepare(`SELECT count(*) FROM facts`).pluck().get() as number;
      const refused = screen(method, input);
      expect(errorCode(refused), JSON.stringify(refused)).toBe('supervisor_required');
      // Refused means nothing happened.
      expect(kiosk.db!.prepare(`SELECT count(*) FROM facts`).pluck().get()).toBe(eventsBefore);

      expect(errorCode(screen('staff.elevate', { pin: '1111' }))).toBe('bad_pin');
      const session = value<StaffSession>(screen('staff.elevate', { pin: '9876' }));
      expect(session.elevated?.name).toBe('Bernd Vogel');
      expect(session.signedIn?.name).toBe('Anna Li'); // the shift stays Anna's
      const allowed = screen(method, input);
      expect(errorCode(allowed), JSON.stringify(allowed)).toBe(sample.after ?? null);
      const written = kiosk
        .db!.prepare(`SELECT actor FROM facts ORDER BY hlc LIMIT -1 OFFSET ?`)
        .pluck()
        .all(eventsBefore);
      for (const actor of written) expect(actor).toBe('Bernd Vogel');

      // Approval relocks by itself.
      clock += 121_000;
      expect(value<StaffSession>(screen('staff.session', {})).elevated).toBeNull();
    });
  }

  it('a supervisor signed in needs no prompt; the approval ends when the screen is locked', () => {
    signIn('Bernd Vogel', '9876');
    expect(errorCode(screen('roster.export', { format: 'csv', forumId: '' }))).toBeNull();
    signIn('Anna Li', '1234');
    value(screen('staff.elevate', { pin: '9876' }));
    value(screen('staff.endElevation', {}));
    expect(errorCode(screen('roster.export', { format: 'csv', forumId: '' }))).toBe('supervisor_required');
  });

  it('door staff do the door: scan, search, check in, walk-ins, first badges, forum in a free room', () => {
    signIn('Anna Li', '1234');
    const id = guestId('anna muller');
    const found = value<{ results: Guest[] }>(screen('guests.search', { query: 'mueller', limit: 5 })).results;
    expect(found.length).toBeGreaterThan(0);
    const checkin = value<ScanResult>(screen('guests.checkIn', { guestId: id })).checkin!;
    expect(actorOf(checkin.id)).toBe('Anna Li');
    const walkIn = value<ScanResult>(
      screen('guests.walkIn', { name: 'Zoë Dubois', organization: 'CNRS', email: '', role: 'guest' }),
    );
    expect(lastEvent('walk_in').actor).toBe('Anna Li');
    value(screen('badges.recordPrint', { guestId: walkIn.guest!.id, template: 'cr80', reason: '' }));
    expect(lastEvent('badge_print').actor).toBe('Anna Li');
    const forum = forumToEdit();
    value(screen('forums.assign', { guestId: id, forumId: forum.id, overrideReason: '' }));
    expect(lastEvent('forum_assign').actor).toBe('Anna Li');
    expect(value<{ device: { operator: string } }>(screen('app.status', {})).device.operator).toBe('Anna Li');
    // Importing a list (adding and updating) and checking a complete list are door staff's too.
    const upload = { uploadId: 'no-such-upload', mapping: {} };
    expect(errorCode(screen('roster.import', { ...upload, dryRun: false }))).toBe('upload_not_found');
    expect(errorCode(screen('roster.import', { ...upload, dryRun: true, replace: true }))).toBe('upload_not_found');
  });

  it('with staff set up, nothing but signing in and a few reads works until someone signs in', () => {
    expect(errorCode(screen('guests.search', { query: 'anna', limit: 5 }))).toBe('sign_in_required');
    expect(errorCode(screen('guests.scan', { code: '1' }))).toBe('sign_in_required');
    const list = value<{ staff: StaffMember[] }>(screen('staff.list', {})).staff;
    expect(list.map((m) => m.name)).toEqual(['Bernd Vogel', 'Anna Li', 'Chen Wei']);
    expect(JSON.stringify(list)).not.toMatch(/scrypt|pin/i);
    expect(errorCode(screen('staff.signIn', { name: 'anna li', pin: '5555' }))).toBe('bad_pin');
    expect(signIn(' ANNA  li ', '1234').signedIn?.id).toBe(anna.id);
    expect(errorCode(screen('guests.search', { query: 'anna', limit: 5 }))).toBeNull();
    value(screen('staff.signOut', {}));
    expect(errorCode(screen('guests.search', { query: 'anna', limit: 5 }))).toBe('sign_in_required');
  });

  it('the attendance export shows who checked each guest in', async () => {
    checkInAs('Chen Wei', '5555', 'anna muller');
    const { jobId } = value<{ jobId: string }>(owner('roster.export', { format: 'csv', forumId: '' }));
    let job: { state: string; result: { dataBase64: string } | null } | undefined;
    for (let i = 0; i < 400; i++) {
      job = value(owner('jobs.get', { jobId }));
      if (job!.state === 'done') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const csv = Buffer.from(job!.result!.dataBase64, 'base64').toString('utf8');
    const lines = csv.split('\r\n');
    expect(lines[0]).toContain('Checked in by');
    // One guest was checked in, by Chen: the name appears on that guest's row only.
    const rows = lines.filter((l) => l.includes('Chen Wei'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/Anna M(ü|ue)ller/);
  });
});

describe('undo by door staff', () => {
  it('undoes their own check-ins of the last few minutes; older and others’ need a supervisor', () => {
    const own = checkInAs('Anna Li', '1234', 'anna muller');
    clock += 4 * 60_000;
    value(screen('checkins.undo', { checkinId: own.id }));
    expect(lastEvent('check_in_void').actor).toBe('Anna Li');

    const older = checkInAs('Anna Li', '1234', 'liu qing');
    clock += 6 * 60_000;
    expect(errorCode(screen('checkins.undo', { checkinId: older.id }))).toBe('supervisor_required');

    const others = checkInAs('Chen Wei', '5555', 'mueller');
    signIn('Anna Li', '1234');
    expect(errorCode(screen('checkins.undo', { checkinId: others.id }))).toBe('supervisor_required');
    expect(errorCode(screen('checkins.undo', { guestId: others.guestId }))).toBe('supervisor_required');

    // A supervisor widens the window: Anna's six-minute-old check-in is hers to undo again.
    signIn('Bernd Vogel', '9876');
    expect(value<StaffSession>(screen('staff.setUndoWindow', { minutes: 10 })).undoWindowMinutes).toBe(10);
    signIn('Anna Li', '1234');
    value(screen('checkins.undo', { checkinId: older.id }));
    expect(lastEvent('check_in_void').actor).toBe('Anna Li');

    value(screen('staff.elevate', { pin: '9876' }));
    value(screen('checkins.undo', { checkinId: others.id }));
    expect(lastEvent('check_in_void').actor).toBe('Bernd Vogel');
  });
});

describe('PIN lockout', () => {
  it('five wrong PINs lock PIN entry for a growing delay that survives reopening the database', () => {
    for (let i = 1; i <= 4; i++)
      expect(errorCode(screen('staff.signIn', { name: 'Anna Li', pin: '0000' }))).toBe('bad_pin');
    const fifth = screen('staff.elevate', { pin: '0000' }); // every PIN entry counts, wherever it is typed
    expect(errorCode(fifth)).toBe('pin_locked');
    expect(fifth.ok ? '' : fifth.error.message).toMatch(/60 s/);
    // Locked: even the right PIN is not checked.
    expect(errorCode(screen('staff.signIn', { name: 'Anna Li', pin: '1234' }))).toBe('pin_locked');
    expect(errorCode(screen('kiosk.checkPin', { pin: '9876' }))).toBe('pin_locked');

    kiosk.close();
    clock += 30_000;
    open();
    expect(value<StaffSession>(screen('staff.session', {})).pinLockSeconds).toBe(30);
    expect(errorCode(screen('staff.signIn', { name: 'Anna Li', pin: '1234' }))).toBe('pin_locked');

    clock += 31_000;
    for (let i = 1; i <= 4; i++) expect(errorCode(screen('kiosk.checkPin', { pin: '0000' }))).toBe('bad_pin');
    const again = screen('kiosk.checkPin', { pin: '0000' });
    expect(errorCode(again)).toBe('pin_locked');
    expect(again.ok ? '' : again.error.message).toMatch(/120 s/);

    kiosk.close();
    clock += 121_000;
    open();
    expect(value<StaffSession>(screen('staff.session', {})).pinLockSeconds).toBe(0);
    expect(signIn('Anna Li', '1234').signedIn?.name).toBe('Anna Li');
    // The right PIN resets the count: four more mistakes do not lock.
    for (let i = 1; i <= 4; i++) expect(errorCode(screen('staff.elevate', { pin: '0000' }))).toBe('bad_pin');
    expect(value<StaffSession>(screen('staff.elevate', { pin: '9876' })).elevated?.name).toBe('Bernd Vogel');
  });

  it('leaving kiosk mode takes a supervisor PIN, not a door PIN', () => {
    expect(errorCode(screen('kiosk.checkPin', { pin: '1234' }))).toBe('bad_pin');
    expect(value(screen('kiosk.checkPin', { pin: '9876' }))).toEqual({ unlocked: true });
  });
});

describe('staff rules', () => {
  it('keeps names and PINs distinct and always one supervisor while staff exist', () => {
    signIn('Bernd Vogel', '9876');
    expect(errorCode(screen('staff.add', { name: 'anna  LI', role: 'door', pin: '4444' }))).toBe('staff_name_taken');
    expect(errorCode(screen('staff.add', { name: 'Dora', role: 'door', pin: '1234' }))).toBe('pin_taken');
    expect(errorCode(screen('staff.add', { name: 'Dora', role: 'door', pin: '12' }))).toBe('invalid_input');
    const bernd = value<{ staff: StaffMember[] }>(screen('staff.list', {})).staff.find((m) => m.role === 'supervisor')!;
    expect(errorCode(screen('staff.remove', { staffId: bernd.id }))).toBe('last_supervisor');
    value(screen('staff.remove', { staffId: anna.id }));
    expect(errorCode(screen('staff.signIn', { name: 'Anna Li', pin: '1234' }))).toBe('bad_pin');
  });
});

describe('a complete-list import approved by a supervisor', () => {
  it('records the supervisor on the import, though the import runs as a job after the call', async () => {
    const roster = openRosterKiosk(true);
    try {
      const owner = createDispatcher(roster.kiosk.ownerHandlers);
      value(owner('staff.add', { name: 'Bernd Vogel', role: 'supervisor', pin: '9876' }));
      value(owner('staff.add', { name: 'Anna Li', role: 'door', pin: '1234' }));
      value(roster.call('staff.signIn', { name: 'Anna Li', pin: '1234' }));
      const csv = new TextEncoder().encode('Name,Email\r\nPress Person,press@example.org\r\n');
      const options = { preset: 'generic', mapping: null, list: 'Press', replace: true };
      // Adding a list is door staff's; its complete-file import needs a supervisor.
      await roster.importFile('press.csv', csv, { ...options, replace: false, dryRun: false });
      await expect(roster.importFile('press.csv', csv, { ...options, dryRun: false })).rejects.toThrow(
        /supervisor_required/,
      );
      value(roster.call('staff.elevate', { pin: '9876' }));
      await roster.importFile('press.csv', csv, { ...options, dryRun: false });
      const actors = roster.kiosk
        .db!.prepare(`SELECT actor FROM roster_imports ORDER BY wall_ms, rowid`)
        .pluck()
        .all() as string[];
      expect(actors).toEqual(['Anna Li', 'Bernd Vogel']);
    } finally {
      roster.close();
    }
  });
});
