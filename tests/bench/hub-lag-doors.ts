/**
 * The doors of hub-lag.ts, in a process of their own (so their work does not count against the hub's
 * event loop): two kiosks pair with the hub, admit every demo guest (A also 300 walk-ins: ~900 facts),
 * then A pushes, B syncs (push and pull), A pulls. Prints the three durations as one JSON line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk } from '../../electron/core/kiosk.ts';
import { testSecrets } from '../support/secrets.ts';

const [urlA, codeA, urlB, codeB] = process.argv.slice(2) as [string, string, string, string];
const door = (name: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lanyard-hub-lag-${name}-`));
  const kiosk = createKiosk({ dataDir: dir, now: Date.now, secrets: testSecrets });
  return { kiosk, dir, call: createDispatcher(kiosk.ownerHandlers) };
};
const a = door('a');
const b = door('b');
await a.kiosk.sync!.engine.pair(urlA, codeA);
await b.kiosk.sync!.engine.pair(urlB, codeB);
for (const d of [a, b]) {
  for (const code of d.kiosk.db!.prepare(`SELECT code FROM guest_codes`).pluck().all() as string[]) {
    d.call('guests.scan', { code });
  }
}
for (let i = 0; i < 300; i++) {
  a.call('guests.walkIn', { name: `Walk In ${i}`, organization: 'Org', email: '', role: 'guest' });
}
process.stdout.write('ready\n');
const t0 = performance.now();
await a.kiosk.sync!.engine.syncOnce();
const t1 = performance.now();
await b.kiosk.sync!.engine.syncOnce();
const t2 = performance.now();
await a.kiosk.sync!.engine.syncOnce();
const t3 = performance.now();
process.stdout.write(`${JSON.stringify({ pushA: t1 - t0, syncB: t2 - t1, pullA: t3 - t2 })}\n`);
for (const d of [a, b]) {
  d.kiosk.close();
  fs.rmSync(d.dir, { recursive: true, force: true });
}
