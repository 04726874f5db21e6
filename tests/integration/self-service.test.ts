import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import { methodNames } from '../../shared/contract.ts';
import type { Guest } from '../../shared/domain.ts';
import type { RosterPreview } from '../../shared/roster/contract-types.ts';
import { LanyardFailure, type ErrorCode, type Result } from '../../shared/result.ts';
import { SEE_STAFF, SELF_SERVICE_ACTOR } from '../../shared/self-service/schemas.ts';
import { selfServiceScreenMethods } from '../../shared/self-service/screen-methods.ts';
import { asOwner, call, must, type Dispatchable } from '../support/call.ts';
import { waitJob } from '../support/roster-kiosk.ts';
import { testSecrets } from '../support/secrets.ts';
import { tempDir } from '../support/temp.ts';

/**
 * Self-service in the core, through dispatch: the screen's staff methods refused while it is on (the owner's
 * CLI not), a badge scan checks in and records the guest's first print, a lookup answers exactly one guest
 * with the whole name and a second fact or nothing, misses lock lookups for the kiosk (kept across a
 * restart), and the mode survives a restart until a supervisor's PIN ends it.
 */

const ROSTER = [
  'Name,Organisation,E-Mail,Phone,Ticket',
  'Jonas Müller,Acme GmbH,jonas.mueller@example.org,+49 170 555 1234,T-1001',
  'Jonas Müller,Beta AG,j.m@example.net,+49 151 000 9876,T-1002',
  'Jonas Müller,Gamma KG,jonas.m@example.com,,T-1003',
  '李娜,清华大学,lina@example.cn,138 0013 8000,T-1004',
].join('\n');

let dir: { dir: string; cleanup: () => void };
let clock: number;
let kiosk: Kiosk;
let screen: Dispatchable;
let owner: Dispatchable;

const codeOf = (r: Result<unknown>): ErrorCode | null => (r.ok ? null : r.error.code);
/** An imported guest, found by their email (the exact key ranks first). */
const guestByEmail = (email: string): Guest => {
  const guest = must(owner, 'guests.search', { query: email, limit: 1 }).results[0]!;
  expect(guest.email).toBe(email);
  return guest;
};
/** The badge code a guest holds (the code Lanyard prints on their badge). */
const badgeCode = (guestId: string) => must(owner, 'codes.issue', { guestId, deviceKey: false }).code;
const count = (sql: string, ...params: string[]) =>
  kiosk
    .db!.prepare(sql)
    .pluck()
    .get(...params) as number;

function open(): void {
  kiosk = createKiosk({ dataDir: dir.dir, now: () => clock, secrets: testSecrets });
  screen = kiosk;
  owner = asOwner(kiosk);
}

async function importRoster(csv: string): Promise<void> {
  const { jobId } = must(owner, 'roster.upload', {
    fileName: 'guests.csv',
    dataBase64: Buffer.from(csv).toString('base64'),
  });
  const jobs = createDispatcher(kiosk.ownerHandlers);
  const uploaded = await waitJob(jobs, jobId);
  const preview = uploaded.result as RosterPreview;
  const started = must(owner, 'roster.import', { uploadId: preview.uploadId, mapping: preview.mapping, dryRun: false });
  const done = await waitJob(jobs, started.jobId);
  expect(done.state).toBe('done');
}

beforeEach(async () => {
  dir = tempDir('self-service');
  clock = Date.parse('2026-05-29T09:00:00Z');
  open();
  must(owner, 'event.loadDemo', {});
  await importRoster(ROSTER);
  must(owner, 'staff.add', { name: 'Bernd Vogel', role: 'supervisor', pin: '9876' });
  must(owner, 'staff.add', { name: 'Anna Li', role: 'door', pin: '1234' });
});
afterEach(() => {
  kiosk.close();
  dir.cleanup();
});

/** A supervisor at the screen switches self-service on. */
function startAsSupervisor(): void {
  must(screen, 'staff.signIn', { name: 'Bernd Vogel', pin: '9876' });
  expect(must(screen, 'selfService.start', {}).active).toBe(true);
}

describe('switching self-service on', () => {
  it('is a supervisor’s, signs whoever was at the screen out, and needs a supervisor set up', () => {
    must(screen, 'staff.signIn', { name: 'Anna Li', pin: '1234' });
    expect(codeOf(call(screen, 'selfService.start', {}))).toBe('supervisor_required');
    startAsSupervisor();
    expect(must(owner, 'staff.session', {}).signedIn).toBeNull();

    const bare = tempDir('self-service-bare');
    const fresh = createKiosk({ dataDir: bare.dir, now: () => clock, secrets: testSecrets });
    try {
      must(asOwner(fresh), 'event.loadDemo', {});
      // Nobody could switch it back: refused for the screen of an open kiosk and for the owner alike.
      expect(codeOf(call(fresh, 'selfService.start', {}))).toBe('self_service_needs_supervisor');
      expect(codeOf(call(asOwner(fresh), 'selfService.start', {}))).toBe('self_service_needs_supervisor');
    } finally {
      fresh.close();
      bare.cleanup();
    }
  });

  it('the guests’ methods answer only while it is on', () => {
    const code = badgeCode(guestByEmail('jonas.mueller@example.org').id);
    expect(codeOf(call(screen, 'selfService.scan', { code }))).toBe('self_service_off');
    expect(codeOf(call(owner, 'selfService.findMe', { name: 'Jonas Müller', fact: '1234' }))).toBe('self_service_off');
  });
});

describe('while self-service is on', () => {
  beforeEach(startAsSupervisor);

  it('the screen reaches no guest, stats or export: every other method is refused in the core', () => {
    const guest = guestByEmail('jonas.mueller@example.org');
    const refused: Array<[string, Result<unknown>]> = [
      ['guests.search', call(screen, 'guests.search', { query: 'jonas', limit: 5 })],
      ['guests.get', call(screen, 'guests.get', { guestId: guest.id })],
      ['guests.scan', call(screen, 'guests.scan', { code: guest.codes[0]! })],
      ['guests.checkIn', call(screen, 'guests.checkIn', { guestId: guest.id })],
      ['checkins.recent', call(screen, 'checkins.recent', { limit: 5 })],
      ['stats.get', call(screen, 'stats.get', {})],
      ['stats.timeline', call(screen, 'stats.timeline', { bucketSeconds: 300 })],
      ['roster.lists', call(screen, 'roster.lists', {})],
      ['roster.export', call(screen, 'roster.export', { format: 'csv', forumId: '' })],
      ['codes.issue', call(screen, 'codes.issue', { guestId: guest.id, deviceKey: false })],
      ['codes.verify', call(screen, 'codes.verify', { code: guest.codes[0]! })],
      ['badges.select', call(screen, 'badges.select', { forumId: '', role: '', notPrinted: false })],
      ['forums.list', call(screen, 'forums.list', {})],
      ['sync.conflicts', call(screen, 'sync.conflicts', {})],
      ['staff.list', call(screen, 'staff.list', {})],
      ['staff.signIn', call(screen, 'staff.signIn', { name: 'Bernd Vogel', pin: '9876' })],
      ['staff.elevate', call(screen, 'staff.elevate', { pin: '9876' })],
      ['event.close', call(screen, 'event.close', { force: true })],
    ];
    expect(refused.filter(([, r]) => codeOf(r) !== 'self_service_on').map(([m]) => m)).toEqual([]);
    // Every method outside the list, whatever its input: the guard answers before the handler looks.
    const answered = methodNames
      .filter((method) => !selfServiceScreenMethods.has(method))
      .filter((method) => {
        try {
          (kiosk.handlers[method] as (input: unknown) => unknown)({});
          return true;
        } catch (error) {
          return !(error instanceof LanyardFailure && error.code === 'self_service_on');
        }
      });
    expect(answered).toEqual([]);
    // What the screen may read carries no guest: the event, the label settings, the mode.
    expect(must(screen, 'app.status', {}).event?.id).toBeTruthy();
    expect(must(screen, 'badges.settings', {}).defaultTemplate).toBeTruthy();
    expect(must(screen, 'selfService.status', {})).toEqual({ active: true, lookupLockSeconds: 0, pinLockSeconds: 0 });
    // The machine owner's CLI is not the screen.
    expect(must(owner, 'guests.search', { query: 'jonas', limit: 5 }).results.length).toBeGreaterThan(0);
  });

  it('a badge scan checks the guest in and prints their badge once; the answer is theirs alone', () => {
    const guest = guestByEmail('jonas.mueller@example.org');
    const code = badgeCode(guest.id);
    const answer = must(screen, 'selfService.scan', { code });
    expect(answer).toEqual({
      outcome: 'welcome',
      name: 'Jonas Müller',
      badge: {
        guestId: guest.id,
        name: 'Jonas Müller',
        latinName: guest.latinName,
        organization: 'Acme GmbH',
        role: guest.role,
        forumId: guest.forumId,
        code,
        template: must(owner, 'badges.settings', {}).defaultTemplate,
      },
      print: true,
      alsoSeeStaff: false,
    });
    expect(JSON.stringify(answer)).not.toMatch(/example\.org|555|Gamma|Beta/);
    const facts = `SELECT count(*) FROM facts WHERE guest_id = ? AND type = ? AND actor = '${SELF_SERVICE_ACTOR}'`;
    expect(count(facts, guest.id, 'check_in')).toBe(1);
    expect(count(facts, guest.id, 'badge_print')).toBe(1);

    // The scanner read the badge twice: the same answer, nothing printed again.
    const again = must(screen, 'selfService.scan', { code });
    expect(again).toMatchObject({ outcome: 'welcome', print: false });
    expect(count(facts, guest.id, 'badge_print')).toBe(1);

    // Later, the same badge again is amber at the door: here it tells nothing.
    clock += 60_000;
    expect(must(screen, 'selfService.scan', { code })).toEqual(SEE_STAFF);
  });

  it('red, cancelled and blocked say "see the staff desk" alike; a note for staff or an earlier print asks it too', () => {
    expect(must(screen, 'selfService.scan', { code: '999999999999' })).toEqual(SEE_STAFF);
    const cancelled = must(owner, 'guests.get', { guestId: 'g0037' });
    expect(cancelled.status).toBe('cancelled');
    expect(must(screen, 'selfService.scan', { code: cancelled.codes[0]! })).toEqual(SEE_STAFF);
    const blocked = must(owner, 'guests.get', { guestId: 'g0042' });
    expect(blocked.status).toBe('blocked');
    expect(must(screen, 'selfService.scan', { code: blocked.codes[0]! })).toEqual(SEE_STAFF);

    const vip = must(owner, 'guests.get', { guestId: 'g0001' });
    const greeted = must(screen, 'selfService.scan', { code: vip.codes[0]! });
    expect(greeted).toMatchObject({ outcome: 'welcome', print: true, alsoSeeStaff: true });
    expect(JSON.stringify(greeted)).not.toContain(vip.note);

    const printedBefore = guestByEmail('j.m@example.net');
    must(owner, 'badges.recordPrint', { guestId: printedBefore.id, template: 'cr80', reason: '' });
    expect(must(screen, 'selfService.scan', { code: badgeCode(printedBefore.id) })).toMatchObject({
      outcome: 'welcome',
      badge: null,
      print: false,
      alsoSeeStaff: true,
    });
    expect(count(`SELECT count(*) FROM facts WHERE type = 'badge_print' AND guest_id = ?`, printedBefore.id)).toBe(1);
  });

  it('looking oneself up answers one guest on the whole name and a second fact, and nothing otherwise', () => {
    const findMe = (name: string, fact: string) => call(screen, 'selfService.findMe', { name, fact });
    // No second fact: refused before anything is looked up.
    expect(codeOf(findMe('Jonas Müller', ''))).toBe('invalid_input');
    // A part of the name, a wrong fact, too few letters of the email: nobody.
    expect(must(screen, 'selfService.findMe', { name: 'Jonas', fact: '1234' })).toEqual(SEE_STAFF);
    expect(must(screen, 'selfService.findMe', { name: 'Jonas Müller', fact: '4321' })).toEqual(SEE_STAFF);
    expect(must(screen, 'selfService.findMe', { name: 'Jonas Müller', fact: 'jon' })).toEqual(SEE_STAFF);
    // "jona" starts two Jonas Müllers' emails: not exactly one, so nobody.
    expect(must(screen, 'selfService.findMe', { name: 'Jonas Müller', fact: 'jona' })).toEqual(SEE_STAFF);
    expect(count(`SELECT count(*) FROM facts WHERE type = 'check_in'`)).toBe(0);

    // The phone's last four digits, the name in any case, order and spelling of the umlaut.
    const first = must(screen, 'selfService.findMe', { name: 'mueller jonas', fact: '1234' });
    expect(first).toMatchObject({ outcome: 'welcome', name: 'Jonas Müller', print: true });
    expect(first.badge?.guestId).toBe(guestByEmail('jonas.mueller@example.org').id);
    // The email's first letters, and a Chinese name.
    expect(must(screen, 'selfService.findMe', { name: 'Jonas Müller', fact: 'J.M@E' }).badge?.guestId).toBe(
      guestByEmail('j.m@example.net').id,
    );
    expect(must(screen, 'selfService.findMe', { name: '李 娜', fact: '8000' }).badge?.guestId).toBe(
      guestByEmail('lina@example.cn').id,
    );
    // Found again after checking in: amber at the door, nothing here.
    expect(must(screen, 'selfService.findMe', { name: 'Jonas Müller', fact: '1234' })).toEqual(SEE_STAFF);
  });

  it('lookups that find nobody lock after five in a row, for the whole kiosk and across a restart', () => {
    const miss = () => must(screen, 'selfService.findMe', { name: 'Jonas Müller', fact: '0000' });
    for (let i = 0; i < 5; i++) expect(miss()).toEqual(SEE_STAFF);
    // Locked: even the right facts are not looked at.
    expect(codeOf(call(screen, 'selfService.findMe', { name: 'Jonas Müller', fact: '1234' }))).toBe('lookup_locked');
    expect(must(screen, 'selfService.status', {}).lookupLockSeconds).toBe(30);
    kiosk.close();
    open();
    expect(codeOf(call(screen, 'selfService.findMe', { name: 'Jonas Müller', fact: '1234' }))).toBe('lookup_locked');
    // Badges still scan meanwhile.
    const scanned = must(screen, 'selfService.scan', { code: badgeCode(guestByEmail('jonas.m@example.com').id) });
    expect(scanned.outcome).toBe('welcome');
    clock += 31_000;
    // A check-in by lookup starts the count again; four misses then do not lock.
    expect(must(screen, 'selfService.findMe', { name: 'Jonas Müller', fact: '1234' }).outcome).toBe('welcome');
    for (let i = 0; i < 4; i++) miss();
    expect(must(screen, 'selfService.findMe', { name: '李娜', fact: 'lina' }).outcome).toBe('welcome');
    // Five more in a row lock lookups again.
    for (let i = 0; i < 5; i++) miss();
    expect(must(screen, 'selfService.status', {}).lookupLockSeconds).toBe(30);
  });

  it('survives a restart; only a supervisor’s PIN leaves it, and signs that supervisor in', () => {
    kiosk.close();
    open();
    expect(must(screen, 'selfService.status', {}).active).toBe(true);
    expect(codeOf(call(screen, 'guests.search', { query: 'jonas', limit: 5 }))).toBe('self_service_on');
    expect(codeOf(call(screen, 'selfService.stop', { pin: '1234' }))).toBe('bad_pin'); // door staff's PIN
    expect(codeOf(call(screen, 'selfService.stop', { pin: '0000' }))).toBe('bad_pin');
    expect(must(screen, 'selfService.status', {}).active).toBe(true);
    expect(must(screen, 'selfService.stop', { pin: '9876' }).active).toBe(false);
    expect(must(screen, 'staff.session', {}).signedIn?.name).toBe('Bernd Vogel');
    expect(must(screen, 'guests.search', { query: 'jonas', limit: 5 }).results.length).toBeGreaterThan(0);
  });

  it('wrong PINs at the exit lock PIN entry like any other PIN prompt', () => {
    for (let i = 0; i < 4; i++) expect(codeOf(call(screen, 'selfService.stop', { pin: '0000' }))).toBe('bad_pin');
    expect(codeOf(call(screen, 'selfService.stop', { pin: '0000' }))).toBe('pin_locked');
    expect(codeOf(call(screen, 'selfService.stop', { pin: '9876' }))).toBe('pin_locked');
    expect(must(screen, 'selfService.status', {})).toMatchObject({ active: true, pinLockSeconds: 60 });
  });

  it('the owner’s CLI switches it off without a PIN, also from another process while the app runs', async () => {
    const cli = createKiosk({ dataDir: dir.dir, now: () => clock, secrets: testSecrets });
    try {
      expect(must(asOwner(cli), 'selfService.stop', { pin: '' }).active).toBe(false);
    } finally {
      cli.close();
    }
    // The app's screen sees the switch within a second (it keeps the mode in memory between reads): the
    // staff's door asks who is there again.
    await expect
      .poll(() => codeOf(call(screen, 'guests.search', { query: 'jonas', limit: 5 })), { timeout: 10_000 })
      .toBe('sign_in_required');
    expect(must(screen, 'selfService.status', {}).active).toBe(false);
  });
});
