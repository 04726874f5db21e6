import fs from 'node:fs';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import { call } from '../support/call.ts';
import { testSecrets } from '../support/secrets.ts';
import { tempDir } from '../support/temp.ts';

/**
 * The door's own connection never checkpoints (a checkpoint inside a scan's COMMIT was the scan's p99):
 * a worker thread does it between scans (electron/core/db/checkpoints.ts), once the WAL holds 1,000
 * frames. Without the worker the WAL would only grow; with it SQLite starts the WAL over after each
 * checkpoint, so it stays small.
 */
const opened: Array<{ kiosk: Kiosk; cleanup: () => void }> = [];

/**
 * Frames not yet copied, read as SQLite keeps them: mxFrame (the WAL-index header at the -shm's start,
 * offset 16) minus nBackfill (offset 96), in the machine's byte order (wal.c). Through one descriptor kept
 * open until the kiosk has closed: closing a descriptor of the -shm drops this process's SQLite locks on it
 * (checkpoint-locks.test.ts), so this observer must not close one under the open kiosk.
 */
function walIndex(dbFile: string): { uncopied: () => number; close: () => void } {
  const fd = fs.openSync(`${dbFile}-shm`, 'r');
  const header = Buffer.alloc(100);
  return {
    uncopied: () => {
      expect(fs.readSync(fd, header, 0, header.length, 0)).toBe(header.length);
      const u32 = (at: number) => (os.endianness() === 'LE' ? header.readUInt32LE(at) : header.readUInt32BE(at));
      return u32(16) - u32(96);
    },
    close: () => fs.closeSync(fd),
  };
}

async function checkpointedBelow(framesNotCheckpointed: () => number, frames: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (framesNotCheckpointed() >= frames) {
    if (Date.now() > deadline) throw new Error(`the WAL still held ${frames}+ frames not checkpointed after 20 s`);
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
    expect(call(kiosk, 'event.loadDemo', {}).ok).toBe(true);
    expect(kiosk.db!.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const dbFile = kiosk.db!.name;
    const index = walIndex(dbFile);
    const framesNotCheckpointed = index.uncopied;
    opened.push({
      kiosk,
      cleanup: () => {
        index.close(); // after kiosk.close(): no SQLite lock is left to drop
        dir.cleanup();
      },
    });
    const wal = `${dbFile}-wal`;
    // The worker copies the WAL once it holds 1,000 frames (checkpoint-worker.ts). Without it the WAL only
    // grows: 40 bursts of 30 walk-ins (tens of pages each) write several thousand frames. With it the WAL
    // starts over after each checkpoint, so its file stays about 1,000 frames and a burst or two long (the
    // file keeps its largest extent). The bursts' size is measured, not assumed.
    const walPages = () => fs.statSync(wal).size / 4096;
    const burstPages: number[] = [];
    let written = 0;
    for (let burst = 0; burst < 40; burst++) {
      const before = framesNotCheckpointed();
      for (let i = 0; i < 30; i++) {
        const r = call(kiosk, 'guests.walkIn', {
          name: `Burst ${burst}-${i}`,
          organization: 'WAL',
          email: '',
          role: 'guest',
        });
        expect(r.ok).toBe(true);
      }
      const after = framesNotCheckpointed();
      if (after > before) burstPages.push(after - before);
      written += Math.max(0, after - before);
      // The worker looks every 250 ms; on a loaded machine its turn can come seconds later, so wait for it
      // (polling, not a fixed time). A worker that never checkpoints fails here.
      await checkpointedBelow(framesNotCheckpointed, 1_000);
    }
    // A burst the worker checkpointed midway counts only its frames after the restart: the median burst
    // and the sum are lower bounds.
    const burst = [...burstPages].sort((a, b) => a - b)[Math.floor(burstPages.length / 2)]!;
    expect(burst).toBeGreaterThan(50);
    expect(written).toBeGreaterThan(2_500);
    // A restart can still be missed now and then (a WAL starts over only when no reader holds an older
    // snapshot): a margin of several bursts, still far under what was written.
    expect(walPages()).toBeLessThan(1_000 + 8 * burst);
    expect(walPages()).toBeLessThan(written / 2);
    // Still the worker's job at the end: had it died (its heap limit was once too small for Node's
    // TypeScript loader, silently, in every kiosk run from source), the fallback would have put SQLite's
    // own checkpoint back and the WAL would have stayed small all the same.
    expect(kiosk.db!.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
  });

  it('scans at a door pace do not each start the WAL over (one sync per scan, not two)', async () => {
    const dir = tempDir('checkpoints');
    const kiosk = createKiosk({ dataDir: dir.dir, now: Date.now, secrets: testSecrets });
    opened.push({ kiosk, cleanup: dir.cleanup });
    expect(call(kiosk, 'event.loadDemo', {}).ok).toBe(true);
    const codes = (kiosk.db!.prepare(`SELECT code FROM guest_codes LIMIT 6`).pluck().all() as string[]).slice(0, 6);
    const wal = `${kiosk.db!.name}-wal`;
    kiosk.db!.pragma('wal_checkpoint(TRUNCATE)');
    const scan = (code: string) => expect(call(kiosk, 'guests.scan', { code }).ok).toBe(true);
    scan(codes[0]!); // a fresh WAL: this commit writes its header
    // The WAL header's checkpoint sequence number (bytes 12–15) counts the times the WAL started over.
    const restarts = () => fs.readFileSync(wal).readUInt32BE(12);
    const first = restarts();
    for (const code of codes.slice(1)) {
      // Longer than the worker's 250 ms between looks: checkpointing each scan's few pages made the next
      // scan start the WAL over, writing and syncing its header before its own pages.
      await new Promise((resolve) => setTimeout(resolve, 400));
      scan(code);
    }
    expect(restarts()).toBe(first);
  });
});
