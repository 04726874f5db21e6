import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import { call } from '../support/call.ts';
import { testSecrets } from '../support/secrets.ts';
import { tempDir } from '../support/temp.ts';

/**
 * The door's own connection never checkpoints (a checkpoint inside a scan's COMMIT was the scan's p99):
 * a worker thread does it between scans (electron/core/db/checkpoints.ts). Without the worker the WAL
 * would only grow; with it SQLite starts the WAL over after each checkpoint, so it stays small.
 */
const opened: Array<{ kiosk: Kiosk; cleanup: () => void }> = [];
afterEach(() =>
  opened.splice(0).forEach(({ kiosk, cleanup }) => {
    kiosk.close();
    cleanup();
  }),
);

describe('checkpoints off the door thread', () => {
  it('the kiosk connection leaves checkpoints to the worker, which keeps the WAL from growing', async () => {
    const dir = tempDir('checkpoints');
    const kiosk = createKiosk({ dataDir: dir.dir, now: Date.now, secrets: testSecrets });
    opened.push({ kiosk, cleanup: dir.cleanup });
    expect(call(kiosk, 'event.loadDemo', {}).ok).toBe(true);
    expect(kiosk.db!.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const wal = `${kiosk.db!.name}-wal`;
    let pagesWritten = 0;
    let largestWal = 0;
    for (let burst = 0; burst < 16; burst++) {
      for (let i = 0; i < 30; i++) {
        const r = call(kiosk, 'guests.walkIn', {
          name: `Burst ${burst}-${i}`,
          organization: 'WAL',
          email: '',
          role: 'guest',
        });
        expect(r.ok).toBe(true);
      }
      pagesWritten += 30 * 8; // a walk-in's COMMIT writes ≥ 8 pages (guest, code, search keys, fact, check-in, …)
      largestWal = Math.max(largestWal, fs.statSync(wal).size / 4096);
      await new Promise((resolve) => setTimeout(resolve, 400)); // the worker checkpoints every 250 ms
    }
    expect(pagesWritten).toBeGreaterThan(3000);
    expect(largestWal).toBeLessThan(pagesWritten / 2);
    // Still the worker's job at the end: had it died (its heap limit was once too small for Node's
    // TypeScript loader, silently, in every kiosk run from source), the fallback would have put SQLite's
    // own checkpoint back and the WAL would have stayed small all the same.
    expect(kiosk.db!.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
  });
});
