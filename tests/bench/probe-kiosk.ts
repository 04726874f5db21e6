/**
 * The kiosk the scan probes measure (scan-probe.ts, scan-tail.ts): `guests` generated guests of the demo
 * event, their roster codes indexed, the dispatcher, and the floor beside it (scan-floor.ts) over the same
 * codes — loaded like core-bench.ts's kiosk.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { GuestRecord } from '../../electron/core/guests/store.ts';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { demoEvent, generateRoster } from '../../electron/core/demo/generate.ts';
import { writeEvent } from '../../electron/core/event/store.ts';
import { GuestStore } from '../../electron/core/guests/store.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import { testSecrets } from '../support/secrets.ts';
import { openScanFloor } from './scan-floor.ts';

export interface ProbeKiosk {
  work: string;
  roster: GuestRecord[];
  kiosk: Kiosk;
  db: Database;
  dispatch: ReturnType<typeof createDispatcher>;
  floor: ReturnType<typeof openScanFloor>;
}

export function openProbeKiosk(name: string, guests: number): ProbeKiosk {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `lanyard-${name}-`));
  const roster = generateRoster(guests, 7);
  const kiosk = createKiosk({ dataDir: path.join(work, 'kiosk'), now: Date.now, secrets: testSecrets });
  const db = kiosk.db!;
  db.transaction(() => {
    writeEvent(db, demoEvent);
    new GuestStore(db).insertMany(roster);
  })();
  kiosk.codes!.short!.indexSome(Number.MAX_SAFE_INTEGER);
  const dispatch = createDispatcher(kiosk.handlers);
  const floor = openScanFloor(
    work,
    roster.map((g) => [g.codes[0]!, g.id] as const),
  );
  return { work, roster, kiosk, db, dispatch, floor };
}
