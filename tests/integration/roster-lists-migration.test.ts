import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../electron/core/db/migrations/index.ts';
import { APPLICATION_ID } from '../../electron/core/db/open.ts';
import { demoEvent } from '../../electron/core/demo/generate.ts';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk } from '../../electron/core/kiosk.ts';
import { databaseFile } from '../../electron/core/paths.ts';
import type { ImportSummary, JobStatusView, RosterPreview } from '../../shared/roster/contract-types.ts';
import { waitJob } from '../support/roster-kiosk.ts';
import { testSecrets } from '../support/secrets.ts';
import { writeLegacyEvent } from '../support/legacy-event.ts';
import { tempDir } from '../support/temp.ts';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('migration 7: guest lists', () => {
  it('a kiosk that imported before lists existed gets one list of its imported guests, named after the last file', async () => {
    const t = tempDir('lists-migration');
    cleanups.push(t.cleanup);
    const raw = new BetterSqlite3(databaseFile(t.dir));
    raw.pragma('journal_mode = WAL');
    raw.transaction(() => {
      for (const m of migrations.filter((m) => m.version <= 6)) m.up(raw);
      raw.pragma(`application_id = ${APPLICATION_ID}`);
      raw.pragma('user_version = 6');
      writeLegacyEvent(raw, demoEvent);
      // Written as schema 6 has them (today's GuestStore reads columns later migrations added); the search
      // index is rebuilt by migration 13 on the way up.
      const insertGuest = raw.prepare(
        `INSERT INTO guests (id, display_name, family_name, given_name, native_name, latin_name, organization,
                             role, email, note, vip, status, walk_in, phone, source)
         VALUES (?, ?, ?, '', '', '', 'ACME', 'guest', ?, '', 0, 'active', ?, '', ?)`,
      );
      const insertCode = raw.prepare(`INSERT INTO guest_codes (code, guest_id) VALUES (?, ?)`);
      const guest = (id: string, name: string, email: string, code: string, source: 'import' | 'walk_in' | 'demo') => {
        insertGuest.run(id, name, name, email, source === 'walk_in' ? 1 : 0, source);
        insertCode.run(code, id);
      };
      guest('i1', 'Anna Berg', 'anna@a.de', 'R-1', 'import');
      guest('i2', 'Bo Chen', 'bo@b.cn', 'R-2', 'import');
      guest('w1', 'Eve Fox', 'eve@e.org', '123456789012', 'walk_in');
      guest('d1', 'Dan Eze', 'dan@d.ng', 'D-1', 'demo');
      const imports = raw.prepare(
        `INSERT INTO roster_imports (id, file_name, actor, wall_ms, added, updated, unchanged, removed) VALUES (?, ?, '', ?, 0, 0, 0, 0)`,
      );
      imports.run('imp1', 'old.csv', 1_000);
      imports.run('imp2', 'Registrations.xlsx', 2_000);
    })();
    raw.close();

    const kiosk = createKiosk({ dataDir: t.dir, now: Date.now, secrets: testSecrets });
    cleanups.unshift(() => kiosk.close());
    const call = createDispatcher(kiosk.handlers);
    const value = <T>(r: ReturnType<typeof call>): T => {
      if (!r.ok) throw new Error(r.error.message);
      return r.value as T;
    };
    expect(value(call('roster.lists', {}))).toEqual({
      lists: [
        {
          id: expect.any(String),
          name: 'Registrations',
          guests: 2,
          lastImportAt: new Date(2_000).toISOString(),
          lastFileName: 'Registrations.xlsx',
        },
      ],
      unlisted: 2,
    });

    // The registration list's complete file without Bo: Bo is removed, the walk-in and the demo guest stay.
    const csv = Buffer.from('Name,Company,Email,Code\r\nAnna Berg,ACME,anna@a.de,R-1\r\n');
    const upload = await waitJob(
      call,
      value<{ jobId: string }>(call('roster.upload', { fileName: 'reg.csv', dataBase64: csv.toString('base64') }))
        .jobId,
    );
    const preview = upload.result as RosterPreview;
    const done: JobStatusView = await waitJob(
      call,
      value<{ jobId: string }>(
        call('roster.import', {
          uploadId: preview.uploadId,
          mapping: preview.mapping,
          dryRun: false,
          list: 'registrations',
          replace: true,
        }),
      ).jobId,
    );
    expect(done.result as ImportSummary).toMatchObject({ applied: true, added: 0, removed: 1, leftList: 0 });
    const status = (id: string) => kiosk.db!.prepare(`SELECT status FROM guests WHERE id = ?`).pluck().get(id);
    expect([status('i1'), status('i2'), status('w1'), status('d1')]).toEqual(['active', 'removed', 'active', 'active']);
  });
});
