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

async function checkpointedSince(dbFile: string, wal: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (fs.statSync(dbFile).mtimeMs < fs.statSync(wal).mtimeMs) {
    if (Date.now() > deadline) throw new Error('no checkpoint within 20 s of the last commit');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
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
    await checkpointedSince(kiosk.db!.name, wal); // the demo event's pages first: the bursts are measured
    // Without checkpoints the WAL only grows: 16 bursts would leave it ~16 bursts long. With the worker
    // each burst starts a checkpointed WAL over, so it stays about one burst long (the file keeps its
    // largest extent). The bursts' size is measured, not assumed: a walk-in writes tens of pages.
    const walPages = () => fs.statSync(wal).size / 4096;
    const burstPages: number[] = [];
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
      burstPages.push(walPages());
      // The worker checkpoints every 250 ms; on a loaded machine its turn can come seconds later, so wait
      // for it (a fixed 400 ms once failed with two test files side by side): the database file is written
      // only by checkpoints, so once its mtime reaches the WAL's, the burst is in it and the next commit
      // starts the WAL over. A worker that never checkpoints fails here.
      await checkpointedSince(kiosk.db!.name, wal);
    }
    expect(burstPages[0]).toBeGreaterThan(100);
    // Half of what 16 bursts with no checkpoint leave: a restart can still be missed now and then (a WAL
    // starts over only when no reader holds an older snapshot; 3 test runs side by side saw ~4 bursts).
    expect(Math.max(...burstPages)).toBeLessThan(burstPages[0]! * 8);
    // Still the worker's job at the end: had it died (its heap limit was once too small for Node's
    // TypeScript loader, silently, in every kiosk run from source), the fallback would have put SQLite's
    // own checkpoint back and the WAL would have stayed small all the same.
    expect(kiosk.db!.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
  });
});
