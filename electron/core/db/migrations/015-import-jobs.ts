import type { Database } from 'better-sqlite3';

/**
 * The recovery record of a big roster import (electron/core/roster/import-chunks.ts). Such an import
 * commits its new guests in short chunks, so the door can scan between them; this row is written with
 * the first chunk and deleted by the import's last transaction. A row found at open names an import
 * that died half-way: its chunks are rolled back (import-recovery.ts), so an import stays all-or-nothing.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE import_jobs (
      id TEXT PRIMARY KEY,
      -- the import's new guests are exactly the ids guest_from <= id < guest_to (one random prefix each)
      guest_from TEXT NOT NULL,
      guest_to TEXT NOT NULL,
      -- the list the new guests join, and whether this import created it (then a rollback removes it)
      list_id TEXT NOT NULL,
      list_created INTEGER NOT NULL CHECK (list_created IN (0, 1)),
      -- a search term id held above the import's own new term ids while it writes (0: none)
      term_reserve INTEGER NOT NULL,
      -- the process writing it: a live writer's import is not rolled back by another process opening the file
      pid INTEGER NOT NULL,
      started_ms INTEGER NOT NULL
    ) STRICT;
  `);
}
