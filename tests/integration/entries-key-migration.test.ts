import { afterEach, describe, expect, it } from 'vitest';
import { demoEvent, generateRoster } from '../../electron/core/demo/generate.ts';
import { FactLog } from '../../electron/core/facts/log.ts';
import { createKiosk } from '../../electron/core/kiosk.ts';
import { must } from '../support/call.ts';
import { testSecrets } from '../support/secrets.ts';
import { databaseAtVersion } from '../support/old-schema.ts';
import { tempDir } from '../support/temp.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const ENTRY_COLUMNS = `fact_id, guest_id, forum_id, direction, assigned_forum_id, admitted_anyway, device_id, hlc, wall_ms`;

describe('migration 21: room entries without a key on their fact', () => {
  it("keeps every entry of a kiosk that scanned at a room's door, and the door answers as before", () => {
    const t = tempDir('entries-key-migration');
    cleanups.push(t.cleanup);
    const roster = generateRoster(20, 5).filter((g) => g.status === 'active');
    const forumId = demoEvent.forums[0]!.id;
    let wall = 1_000_000;
    const raw = databaseAtVersion(t.dir, 20, roster, (raw) => {
      // Entries as schema 20's room door wrote them (fact, entry row, presence): guests 0 and 1 in,
      // guest 1 out again.
      const facts = new FactLog(raw, 'deviceA', () => (wall += 1000));
      const entry = raw.prepare(`INSERT INTO forum_entries (${ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, '', 0, ?, ?, ?)`);
      for (const [guest, direction] of [
        [roster[0]!, 'in'],
        [roster[1]!, 'in'],
        [roster[1]!, 'out'],
      ] as const) {
        const fact = facts.append('forum_entry', guest.id, 'Ada', { forumId, direction, admittedAnyway: false });
        entry.run(fact.id, guest.id, forumId, direction, fact.deviceId, fact.hlc, fact.wallMs);
      }
      raw.prepare(`INSERT INTO forum_presence (guest_id, forum_id) VALUES (?, ?)`).run(roster[0]!.id, forumId);
      raw.prepare(`UPDATE forum_counts SET inside = 1 WHERE forum_id = ?`).run(forumId);
    });
    const before = raw.prepare(`SELECT ${ENTRY_COLUMNS} FROM forum_entries ORDER BY rowid`).all();
    expect(raw.prepare(`SELECT name FROM pragma_index_list('forum_entries') ORDER BY name`).pluck().all()).toEqual([
      'forum_entries_by_guest_forum',
      'sqlite_autoindex_forum_entries_1',
    ]);
    raw.close();

    const kiosk = createKiosk({ dataDir: t.dir, now: () => (wall += 1000), secrets: testSecrets });
    cleanups.unshift(() => kiosk.close());
    const db = kiosk.db!;
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(21);
    expect(db.prepare(`SELECT name FROM pragma_index_list('forum_entries') ORDER BY name`).pluck().all()).toEqual([
      'forum_entries_by_guest_forum',
    ]);
    expect(db.prepare(`SELECT ${ENTRY_COLUMNS} FROM forum_entries ORDER BY rowid`).all()).toEqual(before);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name LIKE 'forum_entries_%'`).pluck().all()).toEqual([
      'forum_entries_by_guest_forum',
    ]);

    // Inside before: already inside; out before: in again; both answers written to the rebuilt table.
    const scan = (code: string, direction: 'in' | 'out') =>
      must(kiosk, 'forums.scan', { code, forumId, direction, admitAnyway: true });
    expect(scan(roster[0]!.codes[0]!, 'in').status).toBe('already_inside');
    expect(scan(roster[1]!.codes[0]!, 'in').status).toBe('entered');
    expect(scan(roster[0]!.codes[0]!, 'out').status).toBe('exited');
    expect(db.prepare(`SELECT count(*) FROM forum_entries`).pluck().get()).toBe(5);
    expect(db.prepare(`SELECT guest_id FROM forum_presence`).pluck().all()).toEqual([roster[1]!.id]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});
