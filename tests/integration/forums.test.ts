import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, openDatabase } from '../../electron/core/db/open.ts';
import { LATEST_VERSION } from '../../electron/core/db/migrations/index.ts';
import { up as initial } from '../../electron/core/db/migrations/001-initial.ts';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import { databaseFile } from '../../electron/core/paths.ts';
import type { AutoAssignOutcome, ForumScanResult, ForumSeats, ForumStatus, Guest } from '../../shared/domain.ts';
import type { Result } from '../../shared/result.ts';
import { tempDir } from '../support/temp.ts';
import { testSecrets } from '../support/secrets.ts';
import { valueOf as value } from '../support/call.ts';

let dir: { dir: string; cleanup: () => void };
let kiosk: Kiosk;
let call: (method: string, input: unknown) => Result<unknown>;
const errorCode = (r: Result<unknown>) => (r.ok ? null : r.error.code);
const guest = (q: string) => value<{ results: Guest[] }>(call('guests.search', { query: q, limit: 1 })).results[0]!;
const seats = () => new Map(value<{ seats: ForumSeats[] }>(call('forums.seats', {})).seats.map((s) => [s.forumId, s]));
const setCapacity = (forumId: string, capacity: number) => {
  const forum = value<{ forums: ForumStatus[] }>(call('forums.list', {})).forums.find((f) => f.id === forumId)!;
  const { assigned: _a, arrived: _b, inside: _c, ...plain } = forum;
  value(call('forums.update', { forum: { ...plain, capacity } }));
};

beforeEach(() => {
  dir = tempDir('forums');
  kiosk = createKiosk({ dataDir: dir.dir, now: Date.now, secrets: testSecrets });
  call = createDispatcher(kiosk.handlers);
  value(call('event.loadDemo', {}));
});
afterEach(() => {
  kiosk.close();
  dir.cleanup();
});

describe('assigning guests to forums', () => {
  it('assigns, counts seats live, reassigns with a parent pointer, and keeps the audit trail', () => {
    const anna = guest('anna muller');
    const first = value<{ guest: Guest; replaced: string[] }>(
      call('forums.assign', { guestId: anna.id, forumId: 'biomed', overrideReason: '' }),
    );
    expect(first.guest.forumId).toBe('biomed');
    expect(first.replaced).toEqual([]);
    expect(seats().get('biomed')!.assigned).toBe(1);

    const second = value<{ guest: Guest; replaced: string[] }>(
      call('forums.assign', { guestId: anna.id, forumId: 'it', overrideReason: '' }),
    );
    expect(second.guest.forumId).toBe('it');
    const firstEventId = kiosk
      .db!.prepare(`SELECT id FROM facts WHERE type = 'forum_assign' ORDER BY device_seq LIMIT 1`)
      .pluck()
      .get();
    expect(second.replaced).toEqual([firstEventId]);
    expect(seats().get('biomed')!.assigned).toBe(0);
    expect(seats().get('it')!.assigned).toBe(1);
  });

  it('refuses a full forum with forum_full, then admits it with a supervisor reason (audited)', () => {
    setCapacity('materials', 1);
    const [a, b] = [guest('anna muller'), guest('jose garcia')];
    value(call('forums.assign', { guestId: a.id, forumId: 'materials', overrideReason: '' }));
    const refused = call('forums.assign', { guestId: b.id, forumId: 'materials', overrideReason: '' });
    expect(errorCode(refused)).toBe('forum_full');
    expect(guest('jose garcia').forumId).toBeNull();

    const overridden = value<{ overridden: boolean }>(
      call('forums.assign', { guestId: b.id, forumId: 'materials', overrideReason: 'Speaker of the panel' }),
    );
    expect(overridden.overridden).toBe(true);
    expect(seats().get('materials')).toMatchObject({ assigned: 2, capacity: 1 });
    const audit = kiosk
      .db!.prepare(`SELECT override_reason, actor FROM forum_assignments WHERE guest_id = ?`)
      .get(b.id);
    expect(audit).toEqual({ override_reason: 'Speaker of the panel', actor: 'staff' });
    expect(errorCode(call('forums.assign', { guestId: b.id, forumId: 'nope', overrideReason: '' }))).toBe(
      'forum_not_found',
    );
  });

  it('auto-assign: dry run changes nothing, apply fills seats without exceeding capacity', () => {
    const preview = value<AutoAssignOutcome>(call('forums.autoAssign', { dryRun: true }));
    expect(preview.applied).toBe(false);
    expect(preview.considered).toBeGreaterThan(250);
    expect(preview.placed).toBe(preview.considered); // 350 seats for < 300 active guests
    expect([...seats().values()].every((s) => s.assigned === 0)).toBe(true);

    const applied = value<AutoAssignOutcome>(call('forums.autoAssign', { dryRun: false }));
    expect(applied).toEqual({ ...preview, applied: true });
    for (const s of seats().values()) expect(s.assigned).toBeLessThanOrEqual(s.capacity);
    const total = [...seats().values()].reduce((n, s) => n + s.assigned, 0);
    expect(total).toBe(applied.placed);
    // A second run has nobody left to place.
    expect(value<AutoAssignOutcome>(call('forums.autoAssign', { dryRun: true })).considered).toBe(0);
  });
});

describe('forum-door mode', () => {
  it('admits, refuses a second entry, asks about guests assigned elsewhere, and counts who is inside', () => {
    const [anna, jose] = [guest('anna muller'), guest('jose garcia')];
    value(call('forums.assign', { guestId: anna.id, forumId: 'it', overrideReason: '' }));
    value(call('forums.assign', { guestId: jose.id, forumId: 'biomed', overrideReason: '' }));
    value(call('device.setForumDoor', { forumId: 'it' }));
    const scan = (code: string, direction: 'in' | 'out', admitAnyway = false) =>
      value<ForumScanResult>(call('forums.scan', { code, forumId: 'it', direction, admitAnyway }));

    expect(scan(anna.codes[0]!, 'in')).toMatchObject({ status: 'entered', inside: 1, assignedForumId: null });
    // Read twice by the scanner: the same entry, not "already inside".
    expect(scan(anna.codes[0]!, 'in')).toMatchObject({ status: 'entered', repeat: true, inside: 1 });
    expect(scan(jose.codes[0]!, 'in')).toMatchObject({
      status: 'assigned_elsewhere',
      assignedForumId: 'biomed',
      inside: 1,
    });
    expect(scan(jose.codes[0]!, 'in', true)).toMatchObject({ status: 'entered', admittedAnyway: true, inside: 2 });
    expect(scan(anna.codes[0]!, 'in').status).toBe('already_inside');
    expect(scan(anna.codes[0]!, 'out')).toMatchObject({ status: 'exited', inside: 1 });
    expect(scan(anna.codes[0]!, 'out').status).toBe('not_inside');
    expect(scan('nope', 'in').status).toBe('unknown_code');
    const recorded = kiosk
      .db!.prepare(`SELECT admitted_anyway FROM forum_entries WHERE guest_id = ? AND direction = 'in'`)
      .pluck()
      .get(jose.id);
    expect(recorded).toBe(1);
    // Venue arrival is separate from forum attendance.
    expect(guest('anna muller').checkedIn).toBe(false);
    const it = value<{ forums: ForumStatus[] }>(call('forums.list', {})).forums.find((f) => f.id === 'it')!;
    expect(it).toMatchObject({ assigned: 1, inside: 1, arrived: 0 });
  });
});

describe('migration 2', () => {
  it('upgrades a version-1 database in place and keeps its data', () => {
    const other = tempDir('v1');
    try {
      const file = databaseFile(other.dir);
      const raw = new BetterSqlite3(file);
      raw.transaction(() => {
        initial(raw);
        raw.exec(`INSERT INTO forums VALUES ('f1', 0, '论坛', 'Forum', 'Forum', 'R1', 10, '', '', '#000')`);
        raw.pragma(`application_id = ${APPLICATION_ID}`);
        raw.pragma('user_version = 1');
      })();
      raw.close();
      const db = openDatabase(file);
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(db.prepare(`SELECT forum_id, assigned, inside FROM forum_counts`).all()).toEqual([
        { forum_id: 'f1', assigned: 0, inside: 0 },
      ]);
      db.close();
    } finally {
      other.cleanup();
    }
  });
});
