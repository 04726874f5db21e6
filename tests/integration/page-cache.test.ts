import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { openDatabase } from '../../electron/core/db/open.ts';
import { BULK_CACHE_KIB, DOOR_CACHE_KIB, withBulkCache } from '../../electron/core/db/page-cache.ts';
import { createKiosk } from '../../electron/core/kiosk.ts';
import type { Guest, ScanResult } from '../../shared/domain.ts';
import { valueOf as value } from '../support/call.ts';
import { testSecrets } from '../support/secrets.ts';
import { tempDir } from '../support/temp.ts';

/**
 * The door's connection keeps a small page cache (every commit's truncate can walk all of it: see
 * db/page-cache.ts); bulk writes raise it while they run, and it comes back down once none does.
 */
let dir: { dir: string; cleanup: () => void };
beforeEach(() => {
  dir = tempDir('page-cache');
});
afterEach(() => dir.cleanup());

const cacheKib = (db: Database) => -(db.pragma('cache_size', { simple: true }) as number);

describe('the door connection page cache', () => {
  it('is the small one when opened, the large one inside bulk work, and small again after', () => {
    const db = openDatabase(path.join(dir.dir, 'lanyard.sqlite'));
    try {
      expect(DOOR_CACHE_KIB).toBeLessThan(BULK_CACHE_KIB);
      expect(cacheKib(db)).toBe(DOOR_CACHE_KIB);
      const inside = withBulkCache(db, () => {
        // Nested sections keep it raised until the outermost ends.
        withBulkCache(db, () => cacheKib(db));
        return cacheKib(db);
      });
      expect(inside).toBe(BULK_CACHE_KIB);
      expect(cacheKib(db)).toBe(DOOR_CACHE_KIB);
      expect(() =>
        withBulkCache(db, () => {
          throw new Error('failed bulk work');
        }),
      ).toThrow('failed bulk work');
      expect(cacheKib(db)).toBe(DOOR_CACHE_KIB);
    } finally {
      db.close();
    }
  });

  it('stays raised while asynchronous bulk work yields, and comes down when it settles', async () => {
    const db = openDatabase(path.join(dir.dir, 'lanyard.sqlite'));
    try {
      let resume = () => {};
      const running = withBulkCache(db, () => new Promise<void>((resolve) => (resume = resolve)));
      await Promise.resolve();
      expect(cacheKib(db)).toBe(BULK_CACHE_KIB);
      resume();
      await running;
      expect(cacheKib(db)).toBe(DOOR_CACHE_KIB);
      await expect(withBulkCache(db, () => Promise.reject(new Error('pull failed')))).rejects.toThrow('pull failed');
      expect(cacheKib(db)).toBe(DOOR_CACHE_KIB);
    } finally {
      db.close();
    }
  });

  it('a roster written inside its caller transaction leaves it raised until the door next writes', () => {
    const kiosk = createKiosk({
      dataDir: dir.dir,
      now: () => Date.parse('2026-05-29T01:30:00Z'),
      secrets: testSecrets,
    });
    try {
      const call = createDispatcher(kiosk.handlers);
      const db = kiosk.db!;
      expect(cacheKib(db)).toBe(DOOR_CACHE_KIB);
      value(call('event.loadDemo', {})); // the demo roster: insertMany inside the event's transaction
      expect(cacheKib(db)).toBe(BULK_CACHE_KIB);
      const guest = value<{ results: Guest[] }>(call('guests.search', { query: 'liu qing', limit: 1 })).results[0]!;
      const scan = value<ScanResult>(call('guests.scan', { code: guest.codes[0]! }));
      expect(scan.status).toBe('checked_in');
      expect(cacheKib(db)).toBe(DOOR_CACHE_KIB);
    } finally {
      kiosk.close();
    }
  });
});
