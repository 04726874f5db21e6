import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { createKiosk } from '../../electron/core/kiosk.ts';
import { testSecrets } from './secrets.ts';

/**
 * Run by node (checkpoint-locks.test.ts), in its own process because a broken lock can end in SIGBUS:
 * opens a kiosk on argv[2] (its checkpoint worker starts with it), holds the door's write lock, lets the
 * worker look at the WAL a few times, then asks a second process — the CLI's place — to take the write
 * lock too. Prints that process's answer: SQLITE_BUSY while this kiosk's locks hold, "acquired" if they
 * were dropped under it (two writers on one WAL).
 */
const dataDir = process.argv[2]!;
const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');
const SECOND_WRITER = `
const Database = require(process.env.BETTER_SQLITE3);
const db = new Database(process.argv[1], { fileMustExist: true });
db.pragma('busy_timeout = 0');
try {
  db.exec('BEGIN IMMEDIATE');
  console.log('acquired');
  db.exec('ROLLBACK');
} catch (error) {
  console.log(error.code);
}
db.close();
`;

const kiosk = createKiosk({ dataDir, now: Date.now, secrets: testSecrets });
const db = kiosk.db!;
db.exec('BEGIN IMMEDIATE');
// The checkpoint worker looks at the WAL every 250 ms.
await new Promise((resolve) => setTimeout(resolve, 1_200));
const second = spawnSync(process.execPath, ['-e', SECOND_WRITER, db.name], {
  encoding: 'utf8',
  env: { ...process.env, BETTER_SQLITE3: betterSqlite3 },
});
// Printed before this process touches the WAL index again: if the second process rebuilt it, that may crash.
process.stdout.write(`second writer: ${second.stdout.trim() || second.stderr.trim()}\n`);
db.exec('ROLLBACK');
kiosk.close();
