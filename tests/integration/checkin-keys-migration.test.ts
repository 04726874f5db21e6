import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { generateRoster } from '../../electron/core/demo/generate.ts';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { FactLog } from '../../electron/core/facts/log.ts';
import { createKiosk } from '../../electron/core/kiosk.ts';
import type { ScanResult } from '../../shared/domain.ts';
import { testSecrets } from '../support/secrets.ts';
import { databaseAtVersion } from '../support/old-schema.ts';
import { OldCheckinWriter } from '../support/old-checkins.ts';
import { tempDir } from '../support/temp.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** The tables a check-in writes, as SQLite stores them: kind and every index. */
function shape(db: BetterSqlite3.Database, table: string) {
  const sql = db
    .prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`)
    .pluck()
    .get(table) as string;
  const indexes = db.prepare(`SELECT name FROM pragma_index_list(?) ORDER BY name`).pluck().all(table);
  return { withoutRowid: /WITHOUT ROWID/i.test(sql), indexes };
}

describe('migration 19: check-in tables keyed by what they are looked up by', () => {
  it('keeps every check-in, void and attendance row of a kiosk that scanned before, and the door answers as before', () => {
    const t = tempDir('checkin-keys-migration');
    cleanups.push(t.cleanup);
    const roster = generateRoster(40, 3).filter((g) => g.status === 'active');
    let wall = 1_000_000;
    const raw = databaseAtVersion(t.dir, 18, roster, (raw) => {
      // Check-ins written the way schema 18's door wrote them: guest 0 in, guest 1 in twice (a duplicate,
      // as two doors admitting one badge offline leave), guest 2 in and undone.
      const facts = new FactLog(raw, 'deviceA', () => (wall += 1000));
      const old = new OldCheckinWriter(raw, facts);
      old.checkIn(roster[0]!.id, 'scan', roster[0]!.codes[0]!);
      old.checkIn(roster[1]!.id, 'search', '');
      old.checkIn(roster[1]!.id, 'scan', roster[1]!.codes[0]!);
      const undone = old.checkIn(roster[2]!.id, 'scan', roster[2]!.codes[0]!);
      old.undo(undone.id, roster[2]!.id);
    });
    const before = {
      checkins: raw.prepare(`SELECT * FROM checkins ORDER BY fact_id`).all(),
      voids: raw.prepare(`SELECT * FROM checkin_voids ORDER BY checkin_fact_id`).all(),
      attendance: raw.prepare(`SELECT * FROM attendance ORDER BY guest_id`).all(),
    };
    expect(shape(raw, 'checkins').withoutRowid).toBe(false);
    raw.close();

    const kiosk = createKiosk({ dataDir: t.dir, now: () => (wall += 1000), secrets: testSecrets });
    cleanups.unshift(() => kiosk.close());
    const db = kiosk.db!;
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(19);
    expect(shape(db, 'checkins')).toEqual({
      withoutRowid: true,
      // The key on fact_id this migration kept went in migration 22.
      indexes: ['checkins_by_guest', 'sqlite_autoindex_checkins_1'],
    });
    // The attendance table this migration rebuilt became a view in migration 23: the same rows, derived.
    expect(db.prepare(`SELECT type FROM sqlite_master WHERE name = 'attendance'`).pluck().get()).toBe('view');
    expect(db.prepare(`SELECT * FROM checkins ORDER BY fact_id`).all()).toEqual(before.checkins);
    expect(db.prepare(`SELECT * FROM checkin_voids ORDER BY checkin_fact_id`).all()).toEqual(before.voids);
    expect(db.prepare(`SELECT * FROM attendance ORDER BY guest_id`).all()).toEqual(before.attendance);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name LIKE '%_before'`).all()).toEqual([]);

    const call = createDispatcher(kiosk.handlers);
    const scan = (code: string) => {
      const result = call('guests.scan', { code });
      if (!result.ok) throw new Error(result.error.message);
      return result.value as ScanResult;
    };
    // In before: already in, with the arrival from before the migration.
    const again = scan(roster[1]!.codes[0]!);
    expect(again.status).toBe('already_checked_in');
    expect(again.firstCheckin?.id).toBe(
      (before.attendance as Array<{ guest_id: string; first_fact_id: string }>).find(
        (a) => a.guest_id === roster[1]!.id,
      )!.first_fact_id,
    );
    // Undone before: admitted again; never scanned: admitted; both written to the rebuilt tables.
    expect(scan(roster[2]!.codes[0]!).status).toBe('checked_in');
    expect(scan(roster[3]!.codes[0]!).status).toBe('checked_in');
    expect(db.prepare(`SELECT count(*) FROM checkins`).pluck().get()).toBe(6);
    expect(db.prepare(`SELECT count(*) FROM attendance`).pluck().get()).toBe(4);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});
