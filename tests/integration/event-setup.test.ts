import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import type { EventInfo, Forum, ForumSeats, ForumStatus, Guest, ScanResult } from '../../shared/domain.ts';
import type { Result } from '../../shared/result.ts';
import { testSecrets } from '../support/secrets.ts';
import { tempDir } from '../support/temp.ts';
import { must, valueOf as value } from '../support/call.ts';

let dir: { dir: string; cleanup: () => void };
let kiosk: Kiosk;
let call: (method: string, input: unknown) => Result<unknown>;
const failure = (r: Result<unknown>) => (r.ok ? null : r.error);
const event = () => value<{ event: EventInfo | null }>(call('app.status', {})).event;
const forumIds = () => event()!.forums.map((f) => f.id);
const seats = () => new Map(value<{ seats: ForumSeats[] }>(call('forums.seats', {})).seats.map((s) => [s.forumId, s]));
const walkIn = (name: string) =>
  value<ScanResult>(call('guests.walkIn', { name, organization: 'Fraunhofer', email: '', role: 'guest' })).guest!;
const assign = (guest: Guest, forumId: string) =>
  value(call('forums.assign', { guestId: guest.id, forumId, overrideReason: '' }));

beforeEach(() => {
  dir = tempDir('event-setup');
  kiosk = createKiosk({ dataDir: dir.dir, now: Date.now, secrets: testSecrets });
  call = createDispatcher(kiosk.handlers);
});
afterEach(() => {
  kiosk.close();
  dir.cleanup();
});

const create = (input: object) => call('event.create', input);

describe('creating an event', () => {
  it('creates from a Chinese name alone: the other languages fall back to it, times in the event zone, keys made', () => {
    const created = value<{ eventId: string; event: EventInfo }>(
      create({
        name: { zh: '2026 中德材料论坛' },
        startsAt: '2026-06-01T09:00',
        endsAt: '2026-06-02T17:30',
        timezone: 'Asia/Shanghai',
        venue: { en: 'Suzhou Industrial Park' },
        badgeSize: 'a6',
      }),
    );
    expect(created.eventId).toMatch(/^2026-[0-9a-f]{6}$/); // the name folded to ASCII, then random digits
    expect(created.event).toMatchObject({
      id: created.eventId,
      name: { zh: '2026 中德材料论坛', en: '2026 中德材料论坛', de: '2026 中德材料论坛' },
      startsAt: '2026-06-01T09:00:00+08:00',
      endsAt: '2026-06-02T17:30:00+08:00',
      date: '2026-06-01',
      timezone: 'Asia/Shanghai',
      venue: { zh: 'Suzhou Industrial Park', en: 'Suzhou Industrial Park', de: 'Suzhou Industrial Park' },
      forums: [],
    });
    expect(event()!.id).toBe(created.eventId);
    const details = value<{ badgeSize: string }>(call('event.show', {}));
    expect(details.badgeSize).toBe('a6');
    expect(value<{ defaultTemplate: string }>(call('badges.settings', {})).defaultTemplate).toBe('a6');
    // The event's signing key exists at once: a walk-in gets a badge code, and it scans at the door.
    const keys = value<{ keys: Array<{ kind: string; hasPrivateKey: boolean }> }>(call('keys.list', {})).keys;
    expect(keys.some((k) => k.kind === 'event' && k.hasPrivateKey)).toBe(true);
    const guest = walkIn('Lea Schäfer');
    const { code } = value<{ code: string }>(call('codes.issue', { guestId: guest.id, deviceKey: false }));
    // Recognised as this walk-in: within 2 s of the registration it is the same scan (green), later amber.
    const scanned = value<ScanResult>(call('guests.scan', { code }));
    expect(scanned.guest?.id).toBe(guest.id);
    expect(['checked_in', 'already_checked_in']).toContain(scanned.status);
  });

  it('reads times given with an offset as instants and shows them in the event zone, across a DST change', () => {
    const created = value<{ event: EventInfo }>(
      create({
        name: { en: 'Open Science Day' },
        startsAt: '2026-03-29T00:30Z',
        endsAt: '2026-03-29T12:00',
        timezone: 'Europe/Berlin',
      }),
    );
    expect(created.event.startsAt).toBe('2026-03-29T01:30:00+01:00');
    expect(created.event.endsAt).toBe('2026-03-29T12:00:00+02:00');
    expect(created.event.id).toMatch(/^open-science-day-[0-9a-f]{6}$/);
  });

  it('refuses bad input with a clear code and writes nothing', () => {
    const cases: Array<[object, string]> = [
      [{ name: {} }, 'name_required'],
      [{ name: { en: '   ', de: '' } }, 'name_required'],
      [{ name: { en: 'X' }, timezone: 'Mars/Olympus' }, 'invalid_timezone'],
      [{ name: { en: 'X' }, startsAt: '1 June, 9am', timezone: 'UTC' }, 'invalid_event_time'],
      [{ name: { en: 'X' }, startsAt: '2026-02-30T09:00', timezone: 'UTC' }, 'invalid_event_time'],
      [
        { name: { en: 'X' }, startsAt: '2026-06-02T09:00', endsAt: '2026-06-01T09:00', timezone: 'UTC' },
        'invalid_event_time',
      ],
      [{ name: { en: 'X' }, badgeSize: 'poster' }, 'invalid_input'],
      [{ name: { en: 'X' }, logoDataUrl: 'javascript:alert(1)' }, 'invalid_input'],
    ];
    for (const [input, code] of cases) expect(failure(create(input))?.code, JSON.stringify(input)).toBe(code);
    expect(event()).toBeNull();
    expect(kiosk.db!.prepare(`SELECT count(*) FROM signing_keys`).pluck().get()).toBe(0);
    expect(failure(call('event.show', {}))?.code).toBe('no_event');
  });

  it('refuses a second event with event_exists — also after the demo, which is created by the same path', () => {
    value(create({ name: { de: 'Tag der offenen Tür' }, timezone: 'Europe/Berlin' }));
    expect(failure(create({ name: { en: 'Another' } }))?.code).toBe('event_exists');
    expect(failure(call('event.loadDemo', {}))?.code).toBe('event_exists');

    const other = tempDir('event-setup-demo');
    const demoKiosk = createKiosk({ dataDir: other.dir, now: Date.now, secrets: testSecrets });
    try {
      const demo = must(demoKiosk, 'event.loadDemo', {});
      expect(demo.startsAt).toBe('2026-05-29T09:00:00+08:00');
      expect(demo.date).toBe('2026-05-29');
      expect(demo.forums).toHaveLength(5);
      expect(must(demoKiosk, 'stats.get', {}).guests).toBe(300);
      expect(() => must(demoKiosk, 'event.create', { name: { zh: '', en: 'X', de: '' } } as never)).toThrow(
        /already has an event/,
      );
    } finally {
      demoKiosk.close();
      other.cleanup();
    }
  });
});

describe('editing the event', () => {
  it('changes only the fields given; a corrected zone keeps the wall-clock times', () => {
    value(
      create({
        name: { en: 'Materials Forum' },
        startsAt: '2026-06-01T09:00',
        endsAt: '2026-06-01T18:00',
        timezone: 'Europe/Berlin',
      }),
    );
    const updated = value<{ event: EventInfo; badgeSize: string }>(
      call('event.update', { name: { de: 'Werkstoff-Forum' }, timezone: 'Asia/Shanghai', badgeSize: '4x6in' }),
    );
    expect(updated.event.name).toEqual({ zh: 'Materials Forum', en: 'Materials Forum', de: 'Werkstoff-Forum' });
    expect(updated.event.startsAt).toBe('2026-06-01T09:00:00+08:00');
    expect(updated.event.endsAt).toBe('2026-06-01T18:00:00+08:00');
    expect(updated.badgeSize).toBe('4x6in');
    const id = updated.event.id;
    expect(failure(call('event.update', { endsAt: '2026-05-31T18:00' }))?.code).toBe('invalid_event_time');
    expect(failure(call('event.update', { name: { zh: '', en: '', de: '' } }))?.code).toBe('name_required');
    expect(event()!.endsAt).toBe('2026-06-01T18:00:00+08:00');
    expect(event()!.id).toBe(id);
  });
});

describe('sub-forums', () => {
  beforeEach(() => {
    value(
      create({
        name: { en: 'Partner Day' },
        startsAt: '2026-06-01T09:00',
        endsAt: '2026-06-01T18:00',
        timezone: 'Europe/Berlin',
      }),
    );
  });

  it('adds forums with defaults, refuses a duplicate id, edits, reorders', () => {
    const a = value<Forum>(
      call('forums.add', {
        forum: { id: 'materials', name: { zh: '新材料', en: 'Materials' }, capacity: 40, room: 'B210' },
      }),
    );
    expect(a).toMatchObject({
      name: { zh: '新材料', en: 'Materials', de: 'Materials' },
      startsAt: '2026-06-01T09:00:00+02:00',
      endsAt: '2026-06-01T18:00:00+02:00',
      capacity: 40,
    });
    expect(a.colour).toMatch(/^#[0-9a-f]{6}$/);
    value(
      call('forums.add', { forum: { id: 'it', name: { de: 'Informationstechnik' }, startsAt: '2026-06-01T14:00' } }),
    );
    value(call('forums.add', { forum: { id: 'energy', name: { en: 'Energy' } } }));
    expect(forumIds()).toEqual(['materials', 'it', 'energy']);
    expect(failure(call('forums.add', { forum: { id: 'it', name: { en: 'IT again' } } }))?.code).toBe('forum_exists');
    expect(failure(call('forums.add', { forum: { id: 'bad id!', name: { en: 'X' } } }))?.code).toBe('invalid_input');
    expect(failure(call('forums.add', { forum: { id: 'x', name: {} } }))?.code).toBe('name_required');
    expect(
      failure(call('forums.add', { forum: { id: 'x', name: { en: 'X' }, endsAt: '2026-06-01T08:00' } }))?.code,
    ).toBe('invalid_event_time');

    const it = event()!.forums.find((f) => f.id === 'it')!;
    const edited = value<Forum>(
      call('forums.update', { forum: { ...it, room: 'C301', capacity: 120, startsAt: '2026-06-01T15:00' } }),
    );
    expect(edited).toMatchObject({ room: 'C301', capacity: 120, startsAt: '2026-06-01T15:00:00+02:00' });

    expect(
      value<{ forums: Forum[] }>(call('forums.reorder', { forumIds: ['energy', 'materials', 'it'] })).forums.map(
        (f) => f.id,
      ),
    ).toEqual(['energy', 'materials', 'it']);
    expect(forumIds()).toEqual(['energy', 'materials', 'it']);
    expect([...seats().keys()]).toEqual(['energy', 'materials', 'it']);
    for (const bad of [
      ['energy', 'materials'],
      ['energy', 'materials', 'it', 'it'],
      ['energy', 'materials', 'nope'],
    ])
      expect(failure(call('forums.reorder', { forumIds: bad }))?.code).toBe('invalid_input');
    expect(forumIds()).toEqual(['energy', 'materials', 'it']);
  });

  it('refuses to remove a forum in use (with the count) unless its guests move in the same step', () => {
    value(call('forums.add', { forum: { id: 'materials', name: { en: 'Materials' }, capacity: 2 } }));
    value(call('forums.add', { forum: { id: 'it', name: { en: 'IT' }, capacity: 1 } }));
    value(call('forums.add', { forum: { id: 'empty', name: { en: 'Empty' } } }));
    const guests = [walkIn('Anna Müller'), walkIn('刘青')];
    for (const g of guests) assign(g, 'materials');
    value(call('forums.setPreferences', { guestId: guests[0]!.id, forumIds: ['materials', 'it'] }));
    value(call('device.setForumDoor', { forumId: 'materials' }));
    const eventsBefore = kiosk.db!.prepare(`SELECT count(*) FROM facts`).pluck().get() as number;

    const refused = failure(call('forums.remove', { forumId: 'materials', moveTo: '' }));
    expect(refused?.code).toBe('forum_in_use');
    expect(refused?.message).toMatch(/^2 guest/);
    expect(failure(call('forums.remove', { forumId: 'materials', moveTo: 'nowhere' }))?.code).toBe('forum_not_found');
    expect(failure(call('forums.remove', { forumId: 'materials', moveTo: 'materials' }))?.code).toBe('invalid_input');
    expect(failure(call('forums.remove', { forumId: 'nope', moveTo: '' }))?.code).toBe('forum_not_found');
    expect(forumIds()).toEqual(['materials', 'it', 'empty']);
    expect(kiosk.db!.prepare(`SELECT count(*) FROM facts`).pluck().get()).toBe(eventsBefore);

    // A forum nobody is assigned to goes at once.
    expect(value(call('forums.remove', { forumId: 'empty', moveTo: '' }))).toEqual({ removed: 'empty', moved: 0 });

    // Moving to a forum with one seat: the organiser's explicit move is not refused for capacity.
    expect(value(call('forums.remove', { forumId: 'materials', moveTo: 'it' }))).toEqual({
      removed: 'materials',
      moved: 2,
    });
    expect(forumIds()).toEqual(['it']);
    expect([...seats().keys()]).toEqual(['it']);
    expect(seats().get('it')!.assigned).toBe(2);
    for (const g of guests) expect(value<Guest>(call('guests.get', { guestId: g.id })).forumId).toBe('it');
    expect(value<Guest>(call('guests.get', { guestId: guests[0]!.id })).forumPreferences).toEqual(['it']);
    // Each move is a forum_assign event replacing the guest's assignment: it syncs like any reassignment.
    const moves = kiosk
      .db!.prepare(`SELECT guest_id, payload FROM facts WHERE type = 'forum_assign' ORDER BY device_seq DESC LIMIT 2`)
      .all() as Array<{ guest_id: string; payload: string }>;
    expect(moves.map((m) => (JSON.parse(m.payload) as { forumId: string; replaces: string[] }).forumId)).toEqual([
      'it',
      'it',
    ]);
    for (const m of moves) expect((JSON.parse(m.payload) as { replaces: string[] }).replaces).toHaveLength(1);
    expect(value<{ device: { forumDoor: string } }>(call('app.status', {})).device.forumDoor).toBe('');
    expect(
      failure(call('forums.assign', { guestId: guests[0]!.id, forumId: 'materials', overrideReason: '' }))?.code,
    ).toBe('forum_not_found');
    const listed = value<{ forums: ForumStatus[] }>(call('forums.list', {})).forums;
    expect(listed.map((f) => [f.id, f.assigned])).toEqual([['it', 2]]);

    // The same id added again brings the forum back, empty, at the end.
    value(call('forums.add', { forum: { id: 'materials', name: { en: 'Materials II' } } }));
    expect(forumIds()).toEqual(['it', 'materials']);
    expect(seats().get('materials')!.assigned).toBe(0);
  });
});

describe('forum changes reach a paired kiosk', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('removal with its moves, reorder and edits travel: the moves as events, the set-up with the package', async () => {
    const { startTestServer, newKiosk, publish, pairingCode } = await import('../support/sync-server.ts');
    const server = await startTestServer({ kind: 'pglite' });
    cleanups.push(() => server.close());
    const a = newKiosk('North');
    const b = newKiosk('South');
    cleanups.push(
      () => a.kiosk.close(),
      () => b.kiosk.close(),
    );
    must(a.kiosk, 'event.create', {
      name: { zh: '', en: 'Partner Day', de: '' },
      startsAt: '2026-06-01T09:00',
      endsAt: '',
      timezone: 'UTC',
      venue: { zh: '', en: '', de: '' },
      badgeSize: 'cr80',
      logoDataUrl: '',
    });
    for (const id of ['materials', 'it', 'energy'])
      must(a.kiosk, 'forums.add', {
        forum: {
          id,
          name: { zh: '', en: id.toUpperCase(), de: '' },
          room: '',
          capacity: 10,
          startsAt: '',
          endsAt: '',
          colour: '',
        },
      });
    const guest = must(a.kiosk, 'guests.walkIn', {
      name: 'Anna Müller',
      organization: '',
      email: '',
      role: 'guest',
    }).guest!;
    must(a.kiosk, 'forums.assign', { guestId: guest.id, forumId: 'materials', overrideReason: '' });
    const eventId = await publish(server, a.kiosk);
    await a.kiosk.sync!.engine.pair(server.url, await pairingCode(server, eventId, 'North'));
    await b.kiosk.sync!.engine.pair(server.url, await pairingCode(server, eventId, 'South'));
    await a.kiosk.sync!.engine.syncOnce();
    await b.kiosk.sync!.engine.syncOnce();
    expect(must(b.kiosk, 'guests.get', { guestId: guest.id }).forumId).toBe('materials');

    must(a.kiosk, 'forums.remove', { forumId: 'materials', moveTo: 'it' });
    must(a.kiosk, 'forums.reorder', { forumIds: ['energy', 'it'] });
    const energy = must(a.kiosk, 'event.show', {}).event.forums[0]!;
    must(a.kiosk, 'forums.update', { forum: { ...energy, capacity: 25, room: 'E1' } });
    await publish(server, a.kiosk);
    await a.kiosk.sync!.engine.syncOnce();
    await b.kiosk.sync!.engine.syncOnce();

    const onB = must(b.kiosk, 'app.status', {}).event!;
    expect(onB.forums.map((f) => [f.id, f.capacity, f.room])).toEqual([
      ['energy', 25, 'E1'],
      ['it', 10, ''],
    ]);
    expect(must(b.kiosk, 'guests.get', { guestId: guest.id }).forumId).toBe('it');
    expect(must(b.kiosk, 'forums.seats', {}).seats.map((s) => [s.forumId, s.assigned])).toEqual([
      ['energy', 0],
      ['it', 1],
    ]);
  });
});
