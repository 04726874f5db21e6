import { afterEach, describe, expect, it } from 'vitest';
import { lastEventMarker } from '../../electron/core/closing/service.ts';
import { generateRoster } from '../../electron/core/demo/generate.ts';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { FactLog } from '../../electron/core/facts/log.ts';
import { createKiosk } from '../../electron/core/kiosk.ts';
import { Outbox } from '../../electron/core/sync/outbox.ts';
import type { ScanResult } from '../../shared/domain.ts';
import { checkInFacts } from '../support/check-in-facts.ts';
import { testSecrets } from '../support/secrets.ts';
import { databaseAtVersion } from '../support/old-schema.ts';
import { OldCheckinWriter } from '../support/old-checkins.ts';
import { tempDir } from '../support/temp.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const FACT_COLUMNS = `id, device_id, device_seq, type, guest_id, hlc, wall_ms, actor, payload, received_ms`;

describe('migration 20: facts kept in device order', () => {
  it('keeps every fact of a kiosk that wrote and pulled before, with its projections, and the door goes on', () => {
    const t = tempDir('facts-by-device-migration');
    cleanups.push(t.cleanup);
    const roster = generateRoster(40, 3).filter((g) => g.status === 'active');
    let wall = 1_790_000_100_000;
    const raw = databaseAtVersion(t.dir, 19, roster, (raw) => {
      // The kiosk opened below is this device.
      raw.prepare(`INSERT INTO meta (key, value) VALUES ('device_id', 'deviceA')`).run();
    });
    // Schema 19's log: this kiosk's check-ins (one undone) and a page pulled from another device.
    const facts = new FactLog(raw, 'deviceA', () => (wall += 1000));
    const old = new OldCheckinWriter(raw, facts);
    raw.transaction(() => {
      old.checkIn(roster[0]!.id, 'scan', roster[0]!.codes[0]!);
      const undone = old.checkIn(roster[1]!.id, 'search', '');
      old.undo(undone.id, roster[1]!.id);
      // Pulled from a device whose clock ran ahead of this one's: this kiosk's next fact must still follow.
      const pulled = checkInFacts('deviceB', 1, 3).map((f, i) => ({
        ...f,
        guestId: roster[5 + i]!.id,
        hlc: `${String(1_790_009_000_000 + i).padStart(15, '0')}-00000-deviceB`,
      }));
      facts.insertRemoteMany(pulled.map((f) => ({ ...f, receivedAt: 1_790_000_200_000 })));
      old.applyPulled(pulled);
    })();
    const before = {
      facts: raw.prepare(`SELECT ${FACT_COLUMNS} FROM facts ORDER BY id`).all(),
      checkins: raw.prepare(`SELECT * FROM checkins ORDER BY fact_id`).all(),
      voids: raw.prepare(`SELECT * FROM checkin_voids ORDER BY checkin_fact_id`).all(),
      attendance: raw.prepare(`SELECT * FROM attendance ORDER BY guest_id`).all(),
      marker: raw.prepare(`SELECT max(rowid) FROM facts`).pluck().get() as number,
    };
    expect(before.facts).toHaveLength(6);
    raw.close();

    const kiosk = createKiosk({ dataDir: t.dir, now: () => (wall += 1000), secrets: testSecrets });
    cleanups.unshift(() => kiosk.close());
    const db = kiosk.db!;
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(20);
    const sql = db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'facts'`).pluck().get() as string;
    expect(sql).toMatch(/PRIMARY KEY \(device_id, device_seq\)\s*\)\s*STRICT, WITHOUT ROWID/);
    expect(db.prepare(`SELECT name FROM pragma_index_list('facts') ORDER BY name`).pluck().all()).toEqual([
      'facts_by_voided',
      'sqlite_autoindex_facts_1',
      'sqlite_autoindex_facts_2',
    ]);
    expect(db.prepare(`SELECT ${FACT_COLUMNS} FROM facts ORDER BY id`).all()).toEqual(before.facts);
    expect(db.prepare(`SELECT * FROM checkins ORDER BY fact_id`).all()).toEqual(before.checkins);
    expect(db.prepare(`SELECT * FROM checkin_voids ORDER BY checkin_fact_id`).all()).toEqual(before.voids);
    expect(db.prepare(`SELECT * FROM attendance ORDER BY guest_id`).all()).toEqual(before.attendance);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name LIKE '%_before'`).all()).toEqual([]);
    // A bundle exported before the migration still covers exactly the facts it covered.
    expect(lastEventMarker(db)).toBe(before.marker);

    const call = createDispatcher(kiosk.handlers);
    const scan = (code: string) => {
      const result = call('guests.scan', { code });
      if (!result.ok) throw new Error(result.error.message);
      return result.value as ScanResult;
    };
    expect(scan(roster[0]!.codes[0]!).status).toBe('already_checked_in');
    const admitted = scan(roster[1]!.codes[0]!);
    expect(admitted.status).toBe('checked_in');
    // The clock resumed above every fact in the log, the other device's too (no index by HLC any more).
    const latestBefore = (before.facts as Array<{ hlc: string }>)
      .map((f) => f.hlc)
      .sort()
      .at(-1)!;
    expect(latestBefore).toMatch(/-deviceB$/);
    expect(admitted.checkin!.hlc > latestBefore).toBe(true);
    // The next of this device's sequence, and the push reads this device's facts in order.
    expect(db.prepare(`SELECT device_seq FROM facts WHERE id = ?`).pluck().get(admitted.checkin!.id)).toBe(4);
    const outbox = new Outbox(db, 'deviceA').batchAfter(0);
    expect(outbox.map((f) => f.deviceSeq)).toEqual([1, 2, 3, 4]);
    expect(outbox.at(-1)!.id).toBe(admitted.checkin!.id);
    expect(lastEventMarker(db)).toBe(before.marker + 1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});
