import type { Database } from 'better-sqlite3';

/** Roster import: a phone column, the mapping remembered per file shape, and an audit row per import. */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE guests ADD COLUMN phone TEXT NOT NULL DEFAULT '';
    -- 'import' = came from a roster file (may be marked removed by a later import); 'walk_in', 'demo'.
    ALTER TABLE guests ADD COLUMN source TEXT NOT NULL DEFAULT 'demo' CHECK (source IN ('demo', 'import', 'walk_in'));
    UPDATE guests SET source = 'walk_in' WHERE walk_in = 1;

    CREATE TABLE import_mappings (
      shape TEXT PRIMARY KEY,
      mapping TEXT NOT NULL CHECK (json_valid(mapping)),
      updated_ms INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE roster_imports (
      id TEXT PRIMARY KEY,
      file_name TEXT NOT NULL,
      actor TEXT NOT NULL,
      wall_ms INTEGER NOT NULL,
      added INTEGER NOT NULL,
      updated INTEGER NOT NULL,
      unchanged INTEGER NOT NULL,
      removed INTEGER NOT NULL
    ) STRICT;
  `);
}
