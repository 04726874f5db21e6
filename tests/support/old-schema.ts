import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrations } from '../../electron/core/db/migrations/index.ts';
import { APPLICATION_ID } from '../../electron/core/db/open.ts';
import { demoEvent } from '../../electron/core/demo/generate.ts';
import { writeEvent } from '../../electron/core/event/store.ts';
import { GuestStore, type GuestRecord } from '../../electron/core/guests/store.ts';
import { databaseFile } from '../../electron/core/paths.ts';

/**
 * A kiosk database in `dataDir` as schema `version` left it, for a migration test: the migrations up to
 * that version, the demo event and `roster`, then `fill` (rows written the way that schema's code wrote
 * them), all in one transaction. Returns the open raw connection; the test closes it before the kiosk
 * opens the file and migrates it.
 */
export function databaseAtVersion(
  dataDir: string,
  version: number,
  roster: readonly GuestRecord[],
  fill: (raw: Database) => void,
): Database {
  const raw = new BetterSqlite3(databaseFile(dataDir));
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.transaction(() => {
    for (const m of migrations.filter((m) => m.version <= version)) m.up(raw);
    raw.pragma(`application_id = ${APPLICATION_ID}`);
    raw.pragma(`user_version = ${version}`);
    writeEvent(raw, demoEvent);
    new GuestStore(raw).insertMany(roster);
    fill(raw);
  })();
  return raw;
}
