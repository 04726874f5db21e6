import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import type { Guest, ScanResult } from '../../shared/domain.ts';
import type { Result } from '../../shared/result.ts';
import { tempDir } from '../support/temp.ts';
import { testSecrets } from '../support/secrets.ts';
import { valueOf as value } from '../support/call.ts';

/** The core on a real SQLite file: scan decisions, undo, walk-in, the event log and its projections. */
let dir: { dir: string; cleanup: () => void };
let kiosk: Kiosk;
let clock: number;
let call: (method: string, input: unknown) => Result<unknown>;
const find = (q: string) => value<{ results: Guest[] }>(call('guests.search', { query: q, limit: 5 })).results;
const scan = (code: string) => value<ScanResult>(call('guests.scan', { code }));
const count = (sql: string) => (kiosk.db!.prepare(sql).get() as { n: number }).n;

beforeEach(() => {
  dir = tempDir('checkin');
  clock = Date.parse('2026-05-29T01:30:00Z');
  kiosk = createKiosk({ dataDir: dir.dir, now: () => clock, secrets: testSecrets });
  call = createDispatcher(kiosk.handlers);
  value(call('event.loadDemo', {}));
});
afterEach(() => {
  kiosk.close();
  dir.cleanup();
});

describe('scan → decision', () => {
  it('checked in, then already checked in with when and where, then unknown', () => {
    const liu = find('liu qing')[0]!;
    const first = scan(liu.codes[0]!);
    expect(first.status).toBe('checked_in');
    expect(first.guest).toMatchObject({ id: liu.id, checkedIn: true, checkinCount: 1 });
    expect(first.attention).toContain('Speaker');

    clock += 60_000;
    const again = scan(`  ${liu.codes[0]!}\r\n`);
    expect(again.status).toBe('already_checked_in');
    expect(again.firstCheckin).toMatchObject({ id: first.checkin!.id, door: 'Door 1', at: '2026-05-29T01:30:00.000Z' });

    expect(scan('000000000000').status).toBe('unknown_code');
    expect(scan('').status).toBe('unknown_code');
    expect(scan('\u0000\u0007').status).toBe('unknown_code');
    expect(count(`SELECT count(*) AS n FROM facts`)).toBe(1);
  });

  it('cancelled and blocked guests are refused and nothing is written', () => {
    const rows = kiosk
      .db!.prepare(
        `SELECT g.id, g.status, c.code FROM guests g JOIN guest_codes c ON c.guest_id = g.id WHERE g.status != 'active'`,
      )
      .all() as Array<{ status: string; code: string }>;
    expect(rows.some((r) => r.status === 'cancelled')).toBe(true);
    expect(rows.some((r) => r.status === 'blocked')).toBe(true);
    for (const row of rows) expect(scan(row.code).status).toBe(row.status);
    expect(count(`SELECT count(*) AS n FROM facts`)).toBe(0);
  });

  it('rejects malformed input at the boundary without throwing', () => {
    for (const bad of [undefined, null, 42, { code: 7 }, { code: 'x'.repeat(10_000) }, { code: '1', admin: true }]) {
      const r = call('guests.scan', bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalid_input');
    }
    const unknown = call('guests.dropTable', {});
    expect(!unknown.ok && unknown.error.code).toBe('unknown_method');
  });
});

describe('event log and projections', () => {
  it('an injected failure between the event insert and the projection leaves neither (R1)', () => {
    const guest = find('anna muller')[0]!;
    // A real SQLite failure at the projection step, after the event row has been inserted.
    kiosk.db!.exec(
      `CREATE TRIGGER fail_projection BEFORE INSERT ON checkins BEGIN SELECT RAISE(ABORT, 'injected'); END`,
    );
    const r = call('guests.scan', { code: guest.codes[0]! });
    expect(r.ok).toBe(false);
    expect(count(`SELECT count(*) AS n FROM facts`)).toBe(0);
    expect(count(`SELECT count(*) AS n FROM attendance`)).toBe(0);
    kiosk.db!.exec(`DROP TRIGGER fail_projection`);

    // The failed attempt consumed no sequence number: the log stays gap-free.
    expect(scan(guest.codes[0]!).status).toBe('checked_in');
    const seqs = kiosk.db!.prepare(`SELECT device_seq FROM facts ORDER BY device_seq`).pluck().all();
    expect(seqs).toEqual([1]);
  });

  it('device_seq is gap-free and HLC strictly increases, even when the clock jumps back', () => {
    const guests = find('wang').concat(find('muller')).slice(0, 6);
    guests.forEach((g, i) => {
      clock += i % 2 === 0 ? -3_600_000 : 5; // wall clock set back an hour every other scan
      call('guests.checkIn', { guestId: g.id });
    });
    const rows = kiosk.db!.prepare(`SELECT device_seq, hlc FROM facts ORDER BY device_seq`).all() as Array<{
      device_seq: number;
      hlc: string;
    }>;
    expect(rows.map((r) => r.device_seq)).toEqual(rows.map((_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.hlc > rows[i - 1]!.hlc).toBe(true);
  });

  it('the HLC resumes above the log after a restart with a clock set back', () => {
    const [a, b] = find('muller');
    call('guests.checkIn', { guestId: a!.id });
    const before = kiosk.db!.prepare(`SELECT max(hlc) FROM facts`).pluck().get() as string;
    kiosk.close();
    clock -= 86_400_000;
    kiosk = createKiosk({ dataDir: dir.dir, now: () => clock, secrets: testSecrets });
    call = createDispatcher(kiosk.handlers);
    call('guests.checkIn', { guestId: b!.id });
    const after = kiosk.db!.prepare(`SELECT max(hlc) FROM facts`).pluck().get() as string;
    expect(after > before).toBe(true);
  });
});

describe('undo and walk-in', () => {
  it('undo voids exactly that check-in, audited, and the guest can check in again', () => {
    const anna = find('anna muller')[0]!;
    const first = scan(anna.codes[0]!);
    const undone = value<{ voided: { id: string }; guest: Guest }>(
      call('checkins.undo', { checkinId: first.checkin!.id }),
    );
    expect(undone.voided.id).toBe(first.checkin!.id);
    expect(undone.guest.checkedIn).toBe(false);
    const audit = kiosk.db!.prepare(`SELECT type, actor, payload FROM facts WHERE type = 'check_in_void'`).get() as {
      actor: string;
      payload: string;
    };
    expect(audit.actor).toBe('staff');
    expect(JSON.parse(audit.payload)).toMatchObject({ voids: first.checkin!.id });

    const again = call('checkins.undo', { checkinId: first.checkin!.id });
    expect(!again.ok && again.error.code).toBe('checkin_already_voided');
    expect(scan(anna.codes[0]!).status).toBe('checked_in');
    const stats = value<{ checkedIn: number; checkinEvents: number; voided: number }>(call('stats.get', {}));
    expect(stats).toMatchObject({ checkedIn: 1, checkinEvents: 2, voided: 1 });
  });

  it('a walk-in is created, searchable, checked in, and carried by its own event', () => {
    const r = value<ScanResult>(
      call('guests.walkIn', { name: '诸葛亮', organization: 'Zéphyrine Labs', email: 'xd@example.org', role: 'press' }),
    );
    expect(r.status).toBe('checked_in');
    expect(r.guest).toMatchObject({
      walkIn: true,
      familyName: '诸葛',
      givenName: '亮',
      latinName: 'Zhuge Liang',
      nativeName: '诸葛亮',
      checkedIn: true,
    });
    // A format 2 walk-in code (docs/badge-codes.md): 36 digits, the same as printed on the badge.
    expect(r.guest!.codes[0]).toMatch(/^82\d{34}$/);
    expect(find('zhuge liang')[0]?.id).toBe(r.guest!.id);
    expect(find('zephyrine')[0]?.id).toBe(r.guest!.id);
    const types = kiosk.db!.prepare(`SELECT type FROM facts ORDER BY device_seq`).pluck().all();
    expect(types).toEqual(['walk_in', 'check_in']);
    // Scanned at once (the scanner read the new badge twice): the same scan; a minute later: amber.
    expect(scan(r.guest!.codes[0]!)).toMatchObject({ status: 'checked_in', repeat: true });
    clock += 60_000;
    expect(scan(r.guest!.codes[0]!).status).toBe('already_checked_in');
  });

  it('the demo event loads once; a second load is refused', () => {
    const again = call('event.loadDemo', {});
    expect(!again.ok && again.error.code).toBe('event_exists');
    expect(value<{ guests: number }>(call('stats.get', {})).guests).toBe(300);
  });
});
