import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../electron/core/db/migrations/index.ts';
import { APPLICATION_ID } from '../../electron/core/db/open.ts';
import { generateRoster, demoEvent } from '../../electron/core/demo/generate.ts';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk } from '../../electron/core/kiosk.ts';
import { databaseFile } from '../../electron/core/paths.ts';
import { writeEvent } from '../../electron/core/event/store.ts';
import type { Guest } from '../../shared/domain.ts';
import { KEY_WEIGHT } from '../../shared/search/keys.ts';
import { writeLegacyEvent } from '../support/legacy-event.ts';
import { tempDir } from '../support/temp.ts';
import { testSecrets } from '../support/secrets.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('migration 6: shared search terms', () => {
  it('upgrades a version-4 kiosk: the search index is rebuilt and every kind of query still finds', () => {
    const t = tempDir('search-migration');
    cleanups.push(t.cleanup);
    // A kiosk database as Lanyard with schema 4 left it: guests with one search_keys row per key.
    const raw = new BetterSqlite3(databaseFile(t.dir));
    raw.pragma('journal_mode = WAL');
    raw.transaction(() => {
      for (const m of migrations.filter((m) => m.version <= 4)) m.up(raw);
      raw.pragma(`application_id = ${APPLICATION_ID}`);
      raw.pragma('user_version = 4');
      writeLegacyEvent(raw, demoEvent);
      const insertGuest = raw.prepare(
        `INSERT INTO guests (id, display_name, family_name, given_name, native_name, latin_name, organization,
                             role, email, note, vip, status, walk_in, phone, source)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'guest', ?, '', 0, 'active', 0, '', 'demo')`,
      );
      const insertCode = raw.prepare(`INSERT INTO guest_codes (code, guest_id) VALUES (?, ?)`);
      const insertKey = raw.prepare(`INSERT INTO search_keys (key, guest_id, weight) VALUES (?, ?, 0)`);
      for (const g of generateRoster(50, 7)) {
        insertGuest.run(
          g.id,
          g.displayName,
          g.familyName,
          g.givenName,
          g.nativeName,
          g.latinName,
          g.organization,
          g.email,
        );
        insertCode.run(g.codes[0]!, g.id);
        insertKey.run('stale', g.id);
      }
      insertGuest.run('x1', 'Zoë Würzbach', 'Würzbach', 'Zoë', '', '', 'Öhlschläger AG', 'zoe.w@example.org');
      insertCode.run('CN-001', 'x1');
    })();
    raw.close();

    const kiosk = createKiosk({ dataDir: t.dir, now: Date.now, secrets: testSecrets });
    const call = createDispatcher(kiosk.handlers);
    const find = (query: string): Guest[] => {
      const r = call('guests.search', { query, limit: 5 });
      if (!r.ok) throw new Error(r.error.message);
      return (r.value as { results: Guest[] }).results;
    };
    try {
      for (const q of ['wuerzbach', 'Würzbach', 'zoe wu', 'oehlschlaeger', 'zoe.w@example', 'cn-001', 'CN001'])
        expect(find(q)[0]?.id, q).toBe('x1');
      expect(find('liu qing')[0]?.name).toBe('刘青');
      expect(find('lq').some((g) => g.name === '刘青')).toBe(true);
      expect(find('stale')).toEqual([]);
      const count = (sql: string) => (kiosk.db!.prepare(sql).get() as { n: number }).n;
      // Only the code not in search form keeps a per-guest code key row (the rest are email parts).
      expect(count(`SELECT count(*) AS n FROM search_keys WHERE weight = ${KEY_WEIGHT.code}`)).toBe(1);
      expect(count(`SELECT count(*) AS n FROM guests WHERE name_term = 0`)).toBe(0);
    } finally {
      kiosk.close();
    }
  });

  it('migration 13 rebuilds the index of a version-12 kiosk: infixes, email parts and typos are found', () => {
    const t = tempDir('search-migration-13');
    cleanups.push(t.cleanup);
    const raw = new BetterSqlite3(databaseFile(t.dir));
    raw.pragma('journal_mode = WAL');
    raw.transaction(() => {
      for (const m of migrations.filter((m) => m.version <= 12)) m.up(raw);
      raw.pragma(`application_id = ${APPLICATION_ID}`);
      raw.pragma('user_version = 12');
      writeEvent(raw, demoEvent);
      // Guests as an older kiosk left them: their terms and keys are rebuilt by the migration.
      const insertGuest = raw.prepare(
        `INSERT INTO guests (id, display_name, family_name, given_name, native_name, latin_name, organization,
                             role, email, note, vip, status, walk_in, phone, source)
         VALUES (?, ?, ?, ?, '', '', ?, 'guest', ?, '', 0, 'active', 0, '', 'demo')`,
      );
      insertGuest.run('g1', '王芳', '王', '芳', '上海长三角技术创新研究院', 'wang.fang.3@sh-yrd.cn');
      insertGuest.run('g2', 'Lukas Schneider', 'Schneider', 'Lukas', 'Fraunhofer ISE', 'lukas@ise.example.de');
    })();
    raw.close();

    const kiosk = createKiosk({ dataDir: t.dir, now: Date.now, secrets: testSecrets });
    const call = createDispatcher(kiosk.handlers);
    const find = (query: string): string[] => {
      const r = call('guests.search', { query, limit: 5 });
      if (!r.ok) throw new Error(r.error.message);
      return (r.value as { results: Guest[] }).results.map((g) => g.id);
    };
    try {
      expect(find('长三角')).toEqual(['g1']);
      expect(find('fang.3@')).toEqual(['g1']);
      expect(find('ise.example.de')).toEqual(['g2']);
      expect(find('schnieder')).toEqual(['g2']);
    } finally {
      kiosk.close();
    }
  });
});
