import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../log.ts';
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
  | { kind: 'finish'; sql: string };

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
    // The owner's last touches (renumbering, sorting: see guests/staging.ts), here off the door's thread.
    const began = performance.now();
    db.exec(message.sql);
    db.exec('COMMIT');
    createLogger('staging').debug('staging file finished', { rows, ms: Math.round(performance.now() - began) });
    db.close();
    port.postMessage({ kind: 'finished', rows } satisfies StagingReply);
    port.close();
  });
}

if (parentPort !== null && workerData !== null) run(parentPort, workerData as StagingWorkerData);
