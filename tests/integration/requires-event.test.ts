import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import { methodNames, type MethodInput, type MethodName } from '../../shared/contract.ts';
import { requiresEvent } from '../../shared/event/requires-event.ts';
import type { Result } from '../../shared/result.ts';
import { testSecrets } from '../support/secrets.ts';
import { tempDir } from '../support/temp.ts';

/**
 * Every method of the contract, called through dispatch (zod included) on a kiosk that has no event yet:
 * the methods declared in shared/event/requires-event.ts answer `no_event`, and no other method does.
 * The sample table names every method, so a new method cannot be left out of this test either.
 */

const SIZE = 'cr80';
const forum = {
  id: 'f1',
  name: { en: 'Forum' },
  room: 'Hall 1',
  capacity: 10,
  startsAt: '2026-06-01T10:00',
  endsAt: '2026-06-01T12:00',
};
const samples: { [M in MethodName]: MethodInput<M> } = {
  'app.status': {},
  'event.loadDemo': {},
  'event.create': { name: { en: 'Event' } },
  'event.show': {},
  'event.update': { venue: { en: 'Hall 2' } },
  'device.update': { door: 'North', operator: 'Anna' },
  'device.setForumDoor': { forumId: '' },
  'device.setLanguage': { language: 'de' },
  'guests.scan': { code: '123456' },
  'guests.checkIn': { guestId: 'g1' },
  'guests.search': { query: 'li', limit: 5 },
  'guests.get': { guestId: 'g1' },
  'guests.walkIn': { name: 'Li Na', organization: '', email: '', role: 'guest' },
  'checkins.undo': { guestId: 'g1' },
  'checkins.recent': { limit: 5 },
  'stats.get': {},
  'stats.timeline': { bucketSeconds: 60 },
  'roster.upload': { fileName: 'guests.csv', dataBase64: Buffer.from('name\nLi Na\n').toString('base64') },
  'roster.presetMapping': { uploadId: 'u1', preset: 'generic' },
  'roster.import': { uploadId: 'u1', mapping: {}, dryRun: true },
  'roster.lists': {},
  'roster.export': { format: 'csv', forumId: '' },
  'jobs.get': { jobId: 'j1' },
  'jobs.cancel': { jobId: 'j1' },
  'codes.issue': { guestId: 'g1', deviceKey: false },
  'codes.verify': { code: '123456' },
  'codes.policy': {},
  'codes.setPolicy': { carryDetails: false },
  'codes.rotateSecret': {},
  'codes.setSecretStatus': { generation: 1, status: 'retired' },
  'codes.revoke': { guestId: 'g1', reason: 'lost' },
  'badges.recordPrint': { guestId: 'g1', template: SIZE, reason: '' },
  'badges.select': { forumId: '', role: '', notPrinted: true },
  'badges.settings': {},
  'badges.setSettings': { settings: { defaultTemplate: SIZE, byRole: {}, printOnCheckIn: false, logoDataUrl: '' } },
  'keys.list': {},
  'keys.trust': { keyId: 7, publicKey: '0'.repeat(64) },
  'keys.rotate': {},
  'keys.setStatus': { keyId: 1, status: 'retired' },
  'forums.list': {},
  'forums.seats': {},
  'forums.update': { forum: { ...forum, name: { zh: '', en: 'Forum', de: '' }, colour: '' } },
  'forums.add': { forum },
  'forums.reorder': { forumIds: ['f1'] },
  'forums.remove': { forumId: 'f1', moveTo: '' },
  'forums.assign': { guestId: 'g1', forumId: 'f1', overrideReason: '' },
  'forums.setPreferences': { guestId: 'g1', forumIds: [] },
  'forums.autoAssign': { dryRun: true },
  'forums.scan': { code: '123456', forumId: 'f1', direction: 'in', admitAnyway: false },
  'sync.status': {},
  'sync.pair': { url: 'http://127.0.0.1:9', code: 'ABCD-1234' },
  'sync.now': {},
  'sync.conflicts': {},
  'sync.markReviewed': { kind: 'duplicate', guestId: 'g1' },
  'hub.status': {},
  'hub.start': { host: '203.0.113.77' },
  'hub.stop': {},
  'hub.newPairing': { name: 'North door' },
  'handoff.exportSetup': { passphrase: 'correct horse battery staple' },
  'handoff.setupFromFile': { text: '{}', passphrase: '' },
  'backups.status': {},
  'backups.configure': { folder: '', intervalMinutes: 5, keep: 3 },
  'backups.now': {},
  'event.closeCheck': {},
  'event.close': { force: false },
  'kiosk.setPin': { currentPin: '', newPin: '2468' },
  'kiosk.checkPin': { pin: '0000' },
  'staff.session': {},
  'staff.list': {},
  'staff.signIn': { name: 'Anna', pin: '1234' },
  'staff.signOut': {},
  'staff.elevate': { pin: '1234' },
  'staff.endElevation': {},
  'staff.add': { name: 'Anna', role: 'door', pin: '1234' },
  'staff.remove': { staffId: 's1' },
  'staff.setPin': { staffId: 's1', pin: '1234' },
  'staff.setUndoWindow': { minutes: 5 },
  'selfService.status': {},
  'selfService.start': {},
  'selfService.stop': { pin: '9876' },
  'selfService.scan': { code: '123456' },
  'selfService.findMe': { name: 'Li Na', fact: '1234' },
};

/** Calls that would give this kiosk an event, or close it: made last, so the others still see none. */
const LAST: ReadonlySet<MethodName> = new Set(['event.create', 'event.loadDemo', 'event.close']);

let dir: { dir: string; cleanup: () => void };
let kiosk: Kiosk;
const answers = new Map<MethodName, Result<unknown>>();

beforeAll(() => {
  dir = tempDir('requires-event');
  kiosk = createKiosk({ dataDir: dir.dir, now: () => Date.parse('2026-06-01T09:00:00Z'), secrets: testSecrets });
  // The owner's map: no staff gate in front, so what answers is the event guard or the handler itself.
  let call = createDispatcher(kiosk.ownerHandlers);
  const order = [...methodNames.filter((m) => !LAST.has(m)), ...methodNames.filter((m) => LAST.has(m))];
  for (const method of order) {
    answers.set(method, call(method, samples[method]));
    // Once a method has given it an event, each later one is asked of an empty kiosk again.
    if (LAST.has(method)) {
      kiosk.close();
      dir.cleanup();
      dir = tempDir('requires-event');
      kiosk = createKiosk({ dataDir: dir.dir, now: () => Date.parse('2026-06-01T09:00:00Z'), secrets: testSecrets });
      call = createDispatcher(kiosk.ownerHandlers);
    }
  }
});
afterAll(() => {
  kiosk.close();
  dir.cleanup();
});

describe('methods that need an event refuse without one, in one place', () => {
  it('every sample passes the contract (an invalid_input would hide the guard)', () => {
    const invalid = [...answers].filter(([, r]) => !r.ok && r.error.code === 'invalid_input');
    expect(invalid.map(([m, r]) => `${m}: ${r.ok ? '' : r.error.message}`)).toEqual([]);
  });

  it.each(methodNames.map((m) => [m, requiresEvent[m]] as const))('%s: requires an event = %s', (method, needs) => {
    const answer = answers.get(method)!;
    const code = answer.ok ? null : answer.error.code;
    if (needs) expect(code).toBe('no_event');
    else expect(code).not.toBe('no_event');
  });
});
