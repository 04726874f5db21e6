import BetterSqlite3 from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import type { ScanResult } from '../../shared/domain.ts';
import { valueOf as value } from '../support/call.ts';
import { testSecrets } from '../support/secrets.ts';
import { tempDir } from '../support/temp.ts';

/**
 * Every scan's fact records the door and the operator, which the kiosk keeps in memory (device/context.ts)
 * instead of reading two settings per scan: a change made on this kiosk counts from the next scan on; one
 * the owner's CLI makes in another process, within a second.
 */
let kiosk: Kiosk | null = null;
const dir = tempDir('door-settings-elsewhere');
afterEach(() => {
  kiosk?.close();
  dir.cleanup();
});

it('a door renamed here is on the next scan; renamed by another process, within a second', async () => {
  kiosk = createKiosk({ dataDir: dir.dir, now: Date.now, secrets: testSecrets });
  const screen = createDispatcher(kiosk.handlers);
  value(screen('event.loadDemo', {}));
  const codes = kiosk.db!.prepare(`SELECT code FROM guest_codes ORDER BY code LIMIT 3`).pluck().all() as string[];
  const doorOf = (code: string) => value<ScanResult>(screen('guests.scan', { code })).checkin!.door;

  value(screen('device.update', { door: 'Nordeingang', operator: 'Ada' }));
  expect(doorOf(codes[0]!)).toBe('Nordeingang');
  const fact = kiosk.db!.prepare(`SELECT actor, payload FROM facts ORDER BY device_seq DESC LIMIT 1`).get() as {
    actor: string;
    payload: string;
  };
  expect(fact.actor).toBe('Ada');
  expect(JSON.parse(fact.payload)).toMatchObject({ door: 'Nordeingang' });

  // The CLI's own connection to the same file.
  const other = new BetterSqlite3(kiosk.db!.name);
  try {
    other.prepare(`UPDATE meta SET value = '南门' WHERE key = 'door'`).run();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(doorOf(codes[1]!)).toBe('南门');
  } finally {
    other.close();
  }
  value(screen('device.update', { door: 'West', operator: 'Ada' }));
  expect(doorOf(codes[2]!)).toBe('West');
});
