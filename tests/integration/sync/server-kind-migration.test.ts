import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../electron/core/db/migrations/index.ts';

const kind = migrations.find((m) => m.name === 'sync-server-kind')!;

/** A kiosk database as the version before left it, with these meta rows; then the migration. */
function migratedFromBefore(meta: Record<string, string>): Record<string, string> {
  const db = new BetterSqlite3(':memory:');
  try {
    for (const m of migrations.filter((m) => m.version < kind.version)) m.up(db);
    const insert = db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?)`);
    for (const [key, value] of Object.entries(meta)) insert.run(key, value);
    kind.up(db);
    const rows = db.prepare(`SELECT key, value FROM meta WHERE key LIKE 'sync_%'`).all() as Array<{
      key: string;
      value: string;
    }>;
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  } finally {
    db.close();
  }
}

describe('kiosk migration 18: the kind of server a door is paired with', () => {
  it('records a hub for a door that moved to one with a proof, the central server otherwise; nothing unpaired', () => {
    const paired = { sync_url: 'http://central.example', sync_token: 'sealed' };
    expect(migratedFromBefore({ ...paired, sync_server_hub: '' })).toMatchObject({ sync_server_kind: 'central' });
    expect(migratedFromBefore(paired)).toMatchObject({ sync_server_kind: 'central' });
    expect(migratedFromBefore({ ...paired, sync_server_hub: 'hub_0123' })).toMatchObject({
      sync_server_kind: 'hub',
      sync_server_hub: 'hub_0123',
    });
    expect(migratedFromBefore({})).toEqual({});
    expect(migratedFromBefore({ sync_server_hub: '' })).toEqual({ sync_server_hub: '' });
  });
});
