import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckinProjection } from '../../electron/core/checkin/projection.ts';
import { lastEventMarker } from '../../electron/core/closing/service.ts';
import { demoEvent, generateRoster } from '../../electron/core/demo/generate.ts';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { writeEvent } from '../../electron/core/event/store.ts';
import { FactLog } from '../../electron/core/facts/log.ts';
import { GuestStore } from '../../electron/core/guests/store.ts';
import { createKiosk } from '../../electron/core/kiosk.ts';
import { Outbox } from '../../electron/core/sync/outbox.ts';
import type { ScanResult } from '../../shared/domain.ts';
import { checkInFacts } from '../support/check-in-facts.ts';
import { testSecrets } from '../support/secrets.ts';
import { databaseAtVersion } from '../support/old-schema.ts';
import { tempDir } from '../support/temp.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const FACT_COLUMNS = `id, device_id, device_seq, type, guest_id, hlc, wall_ms, actor, payload, received_ms`;

/** The B-trees (tables and indexes) whose pages one commit of `write` put in the WAL. */
function btreesWritten(db: BetterSqlite3.Database, write: () => void): string[] {
  // The kiosk's checkpoint worker may hold the WAL for a moment: then try again.
  for (let tries = 0; ; tries++) {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    if (result!.busy === 0) break;
    if (tries > 400) throw new Error('the WAL could not be reset');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  }
  write();
  const wal = fs.readFileSync(`${db.name}-wal`);
  const pageSize = wal.readUInt32BE(8);
  const pages = new Set<number>();
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) pages.add(wal.readUInt32BE(at));
  const names = db
    .prepare(`SELECT DISTINCT name FROM dbstat WHERE pageno IN (${[...pages].join(',')}) ORDER BY name`)
    .pluck()
    .all() as string[];
  // Page 1 (the schema's root, which holds the file's header) is written whenever the file grows.
  return names.filter((n) => n !== 'sqlite_schema');
}

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
    const projection = new CheckinProjection(raw, facts, () => ({ door: 'North', operator: 'Ada' }));
    raw.transaction(() => {
      projection.writeCheckin(roster[0]!.id, 'scan', roster[0]!.codes[0]!, true);
      const undone = projection.writeCheckin(roster[1]!.id, 'search', '', true);
      projection.writeVoid(projection.undoRow({ checkinId: undone.id })!, 'North', 'Ada');
      // Pulled from a device whose clock ran ahead of this one's: this kiosk's next fact must still follow.
      const pulled = checkInFacts('deviceB', 1, 3).map((f, i) => ({
        ...f,
        guestId: roster[5 + i]!.id,
        hlc: `${String(1_790_009_000_000 + i).padStart(15, '0')}-00000-deviceB`,
      }));
      facts.insertRemoteMany(pulled.map((f) => ({ ...f, receivedAt: 1_790_000_200_000 })));
      projection.applyRemoteCheckins(pulled);
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

  it('a scan commits pages of six B-trees: the fact (2), its check-in (3) and the attendance row (1)', () => {
    const t = tempDir('facts-by-device-pages');
    cleanups.push(t.cleanup);
    const roster = generateRoster(400, 5).filter((g) => g.status === 'active');
    let wall = 1_790_000_000_000;
    const kiosk = createKiosk({ dataDir: t.dir, now: () => (wall += 1000), secrets: testSecrets });
    cleanups.unshift(() => kiosk.close());
    const db = kiosk.db!;
    db.transaction(() => {
      writeEvent(db, demoEvent);
      new GuestStore(db).insertMany(roster);
    })();
    const call = createDispatcher(kiosk.handlers);
    const written = new Set<string>();
    for (const guest of roster.slice(0, 30)) {
      for (const name of btreesWritten(db, () => {
        const result = call('guests.scan', { code: guest.codes[0]! });
        expect(result.ok && (result.value as ScanResult).status).toBe('checked_in');
      }))
        written.add(name);
    }
    expect([...written].sort()).toEqual([
      'attendance',
      'checkins',
      'checkins_by_guest',
      'facts',
      'sqlite_autoindex_checkins_1',
      'sqlite_autoindex_facts_1',
    ]);
  });
});
