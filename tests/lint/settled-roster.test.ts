import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * What people and other devices see of the roster comes from the settled views (kiosk migration 016:
 * settled_guests, settled_list_members, settled_roster_lists), which leave out what an import still
 * writing has committed. A statement that reads the tables themselves is allowed only in the files
 * below, each for its reason; a new reader elsewhere fails here instead of counting, exporting or
 * printing guests a failing import then takes back.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const TABLE_READ = /(?<!DELETE\s)\b(?:FROM|JOIN)\s+(?:main\.)?(?:guests|list_members|roster_lists)\b/i;

const ALLOWED: Record<string, string> = {
  'electron/core/guests/store.ts': 'the scan path: no extra statement per scan, in-memory GuestStore.isPending instead',
  'electron/core/guests/search.ts': 'search: every hit goes through GuestStore.getMany, which drops pending guests',
  'electron/core/guests/search-index.ts': 'upkeep of search terms, which pending guests use too',
  'electron/core/roster/import-recovery.ts': 'the rollback of an unfinished import itself',
  'electron/core/roster/lists.ts': "the import's own planning (imports run one at a time) and a subquery",
  'electron/core/badges/codes/handlers.ts': 'the code length of any one guest id',
  'electron/core/badges/codes/short-codes.ts': 'whether the guest a roster code names exists (a scan)',
  'electron/core/badges/codes/roster-code-index.ts': 'the short-code index, kept for every guest row',
  'electron/core/guests/staging-order.ts':
    "the staging file's own guests table (renumbered in the worker), not the kiosk's",
  'electron/core/sync/apply.ts': 'whether a pulled guest exists before it is written',
  'electron/core/handoff/service.ts': 'INSERT … SELECT of list places for guests the package installed',
};

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.includes(`migrations${path.sep}`))
    .map((name) => path.join(dir, name).split(path.sep).join('/'));
}

describe('readers of the roster use the settled views', () => {
  const readers = sourceFiles('electron').filter((file) =>
    TABLE_READ.test(fs.readFileSync(path.join(ROOT, file), 'utf8')),
  );

  it('reads guests, list_members and roster_lists directly only where a reason is written down', () => {
    expect(readers.filter((file) => !(file in ALLOWED))).toEqual([]);
  });

  it('lists no file that no longer reads them', () => {
    expect(Object.keys(ALLOWED).filter((file) => !readers.includes(file))).toEqual([]);
  });
});
