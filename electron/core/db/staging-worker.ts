import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { insertValues } from './bulk.ts';

/**
 * The worker side of a staging database (see staging.ts): opens its own SQLite file, creates the
 * schema it is given, and inserts the chunks the main thread posts, all in one transaction. Binding
 * values is most of the cost of a bulk insert with better-sqlite3; here it runs beside the main
 * thread's work instead of after it. The file is scratch: no journal, no fsync.
 */
export interface StagingWorkerData {
  path: string;
  schema: string;
}

export type StagingMessage =
  | { kind: 'rows'; table: string; columns: readonly string[]; values: Array<string | number> }
  | { kind: 'finish'; sortBy?: ReadonlyArray<{ table: string; order: string }> };

export type StagingReply = { kind: 'finished'; rows: number };

function run(port: NonNullable<typeof parentPort>, data: StagingWorkerData): void {
  const db = new Database(data.path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(data.schema);
  db.exec('BEGIN');
  let rows = 0;
  port.on('message', (message: StagingMessage) => {
    if (message.kind === 'rows') {
      insertValues(db, message.table, message.columns, message.values);
      rows += message.values.length / message.columns.length;
      return;
    }
    // Rewritten in the order of the kiosk table's key, so that rowid ranges are key ranges: a chunk
    // copied into the kiosk then lands on a few neighbouring pages instead of pages all over its B-tree.
    for (const { table, order } of message.sortBy ?? [])
      db.exec(`CREATE TABLE sorted AS SELECT * FROM ${table} ORDER BY ${order};
               DROP TABLE ${table};
               ALTER TABLE sorted RENAME TO ${table};`);
    db.exec('COMMIT');
    db.close();
    port.postMessage({ kind: 'finished', rows } satisfies StagingReply);
    port.close();
  });
}

if (parentPort !== null && workerData !== null) run(parentPort, workerData as StagingWorkerData);
