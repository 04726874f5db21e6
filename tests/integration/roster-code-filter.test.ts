import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, expect, it } from 'vitest';
import { rosterCodeFilterOf } from '../../electron/core/badges/codes/roster-code-filter.ts';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import type { CodeCheck, ScanResult } from '../../shared/domain.ts';
import { valueOf as value } from '../support/call.ts';
import { testSecrets } from '../support/secrets.ts';
import { tempDir } from '../support/temp.ts';

/**
 * A signed badge's code is looked up on the roster before its signature is checked (an imported roster
 * code wins); roster-code-filter.ts answers "certainly not on the roster" without SQL. Its answers must be
 * the database's: after writes on the kiosk's own connection at once (imports, edits, sync, rolled-back
 * writes alike: a trigger sees them), after another process's within its recheck (a second).
 */
let kiosk: Kiosk | null = null;
const dir = tempDir('roster-code-filter');
afterEach(() => {
  kiosk?.close();
  kiosk = null;
  dir.cleanup();
});

function openKiosk() {
  kiosk = createKiosk({ dataDir: dir.dir, now: Date.now, secrets: testSecrets });
  const screen = createDispatcher(kiosk.handlers);
  value(screen('event.loadDemo', {}));
  value(screen('codes.setPolicy', { carryDetails: true }));
  const db = kiosk.db!;
  const guestIds = db.prepare(`SELECT id FROM guests ORDER BY id LIMIT 6`).pluck().all() as string[];
  const signed = guestIds.map(
    (guestId) => value<{ code: string }>(screen('codes.issue', { guestId, deviceKey: false })).code,
  );
  return { db, screen, guestIds, signed };
}

it('answers as the database does over inserts, updates, deletes and rollbacks, here and from another connection', () => {
  const { db, guestIds, signed } = openKiosk();
  const file = db.name;
  // The filter of a connection of its own, on a clock the test moves; `other` is another process's.
  const conn = new BetterSqlite3(file);
  const other = new BetterSqlite3(file);
  try {
    let clock = 0;
    const filter = rosterCodeFilterOf(conn, () => clock);
    const synthetic = `000${'7'.repeat(197)}`;
    const probes = [
      ...signed,
      synthetic,
      `000${'😀'.repeat(74)}`, // 151 UTF-16 units, 77 characters to SQLite
      `000${'a'.repeat(160)}`,
      `${signed[0]!.slice(0, -1)}x`, // a non-digit: no Lanyard code
      `1${signed[1]!.slice(1)}`, // long digits not starting 000: always asked of SQLite
      '0001234',
    ];
    const onRoster = (code: string) => conn.prepare(`SELECT 1 FROM guest_codes WHERE code = ?`).get(code) !== undefined;
    let saidNo = 0;
    let longOnRoster = 0;
    const agree = () => {
      for (const code of probes) {
        const may = filter.mayBeOnRoster(code);
        if (!may) saidNo++;
        if (onRoster(code)) {
          longOnRoster++;
          expect(may).toBe(true);
        }
      }
    };
    const op = fc.record({
      who: fc.constantFrom('own', 'other'),
      kind: fc.constantFrom('insert', 'update', 'delete', 'rollback'),
      code: fc.nat(probes.length - 1),
      guest: fc.nat(guestIds.length - 1),
    });
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 8 }), (ops) => {
        conn.prepare(`DELETE FROM guest_codes WHERE length(code) >= 100`).run();
        agree();
        for (const { who, kind, code, guest } of ops) {
          const db = who === 'own' ? conn : other;
          const c = probes[code]!;
          const g = guestIds[guest]!;
          const exists = db.prepare(`SELECT 1 FROM guest_codes WHERE code = ?`).get(c) !== undefined;
          if (kind === 'insert' && !exists)
            db.prepare(`INSERT INTO guest_codes (code, guest_id) VALUES (?, ?)`).run(c, g);
          if (kind === 'update' && !exists) {
            // An edit: one of the guest's codes becomes `c`.
            const old = db.prepare(`SELECT code FROM guest_codes WHERE guest_id = ? LIMIT 1`).pluck().get(g) as
              string | undefined;
            if (old !== undefined) db.prepare(`UPDATE guest_codes SET code = ? WHERE code = ?`).run(c, old);
          }
          if (kind === 'delete') db.prepare(`DELETE FROM guest_codes WHERE code = ?`).run(c);
          if (kind === 'rollback' && !exists)
            expect(() =>
              db.transaction(() => {
                db.prepare(`INSERT INTO guest_codes (code, guest_id) VALUES (?, ?)`).run(c, g);
                throw new Error('changed my mind');
              })(),
            ).toThrow('changed my mind');
          // Another process's write is seen by the next recheck; this connection's at once.
          if (who === 'other') clock += 1000;
          agree();
        }
      }),
      { numRuns: 150, seed: 16 },
    );
    // Neither side was empty: the filter skipped lookups, and long codes were on the roster at times.
    expect(saidNo).toBeGreaterThan(100);
    expect(longOnRoster).toBeGreaterThan(50);
  } finally {
    conn.close();
    other.close();
  }
});

it('skips the roster lookup for a signed badge, and a roster code equal to it still wins', async () => {
  // Counts the lookups the kiosk's connection runs (the statement the roster read uses).
  const proto = BetterSqlite3.prototype as unknown as { prepare: (sql: string) => object };
  const prepare = proto.prepare;
  let lookups = 0;
  proto.prepare = function (this: unknown, sql: string) {
    const statement = prepare.call(this, sql) as { get: (...args: unknown[]) => unknown };
    if (/SELECT guest_id FROM guest_codes WHERE code = \?/.test(sql)) {
      const get = statement.get;
      statement.get = function (this: unknown, ...args: unknown[]) {
        lookups++;
        return get.apply(this, args);
      };
    }
    return statement;
  };
  try {
    const { db, screen, guestIds, signed } = openKiosk();
    const verify = (code: string) => value<CodeCheck>(screen('codes.verify', { code }));
    const scan = (code: string) => value<ScanResult>(screen('guests.scan', { code }));

    lookups = 0;
    expect(verify(signed[0]!)).toMatchObject({ valid: true, guestId: guestIds[0] });
    expect(scan(signed[0]!)).toMatchObject({ status: 'checked_in', guest: { id: guestIds[0] } });
    expect(lookups).toBe(0);

    // An organiser imports exported badge codes as another guest's roster codes (any write on the
    // kiosk's connection — an import's copy, an edit, a pulled guest): the roster reading wins at once.
    db.prepare(`INSERT INTO guest_codes (code, guest_id) VALUES (?, ?)`).run(signed[1]!, guestIds[5]!);
    expect(scan(signed[1]!)).toMatchObject({ status: 'checked_in', guest: { id: guestIds[5] } });
    expect(verify(signed[1]!)).toMatchObject({
      valid: false,
      reason: 'malformed',
      detail: 'a roster code, not a Lanyard code',
    });
    expect(lookups).toBeGreaterThan(0);

    // The owner's CLI does it from another process: within a second.
    const other = new BetterSqlite3(db.name);
    try {
      other.prepare(`DELETE FROM guest_codes WHERE code = ?`).run(signed[1]!);
      other.prepare(`INSERT INTO guest_codes (code, guest_id) VALUES (?, ?)`).run(signed[2]!, guestIds[4]!);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(scan(signed[2]!)).toMatchObject({ status: 'checked_in', guest: { id: guestIds[4] } });
      other.prepare(`DELETE FROM guest_codes WHERE code = ?`).run(signed[2]!);
    } finally {
      other.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(verify(signed[2]!)).toMatchObject({ valid: true, guestId: guestIds[2] });
    lookups = 0;
    expect(verify(signed[3]!)).toMatchObject({ valid: true, guestId: guestIds[3] });
    expect(lookups).toBe(0);
  } finally {
    proto.prepare = prepare;
  }
});
