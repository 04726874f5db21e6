import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { APPLICATION_ID } from '../../electron/core/db/open.ts';
import { migrations } from '../../electron/core/db/migrations/index.ts';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { IdempotencyStore } from '../../electron/core/idempotency.ts';
import { createKiosk } from '../../electron/core/kiosk.ts';
import { databaseFile } from '../../electron/core/paths.ts';
import { hashPin } from '../../electron/core/staff/pin.ts';
import { startHttpHost } from '../../electron/host/http.ts';
import { testSecrets } from '../support/secrets.ts';
import { tempDir } from '../support/temp.ts';

const CLI = path.resolve(import.meta.dirname, '../../electron/cli/lanyard.ts');
const data = tempDir('staff-cli');
afterAll(() => data.cleanup());

function lanyard(...args: string[]): { status: number; json: Record<string, unknown>; stdout: string } {
  const r = spawnSync(process.execPath, [CLI, ...args, '--data', data.dir, '--json'], { encoding: 'utf8' });
  return { status: r.status ?? -1, json: JSON.parse(r.stdout) as Record<string, unknown>, stdout: r.stdout };
}

describe('lanyard staff', () => {
  it('adds and lists staff without a PIN, never prints a hash, and keeps set-pin as the Supervisor PIN', () => {
    expect(lanyard('init', '--demo').status).toBe(0);
    const bernd = lanyard('staff', 'add', 'Bernd Vogel', '--role', 'supervisor', '--pin', '9876');
    expect(bernd).toMatchObject({ status: 0, json: { name: 'Bernd Vogel', role: 'supervisor' } });
    expect(lanyard('staff', 'add', 'Anna', 'Li', '--role', 'door', '--pin', '1234').json).toMatchObject({
      name: 'Anna Li',
      role: 'door',
    });
    expect(lanyard('staff', 'add', 'Chen', '--role', 'boss', '--pin', '1234')).toMatchObject({
      status: 1,
      json: { error: { code: 'invalid_input' } },
    });
    expect(lanyard('set-pin', '2468')).toMatchObject({ status: 0, json: { pinSet: true } });

    const list = lanyard('staff', 'list');
    expect((list.json as { staff: Array<{ name: string; role: string }> }).staff).toEqual([
      { id: expect.any(String), name: 'Bernd Vogel', role: 'supervisor' },
      { id: expect.any(String), name: 'Supervisor', role: 'supervisor' },
      { id: expect.any(String), name: 'Anna Li', role: 'door' },
    ]);
    expect(list.stdout).not.toMatch(/scrypt|hash|1234|9876/);

    // Stored as salted scrypt hashes, each different.
    const db = new BetterSqlite3(databaseFile(data.dir), { readonly: true });
    const hashes = db.prepare(`SELECT pin_hash FROM staff`).pluck().all() as string[];
    const code = db.prepare(`SELECT code FROM guest_codes LIMIT 1`).pluck().get() as string;
    db.close();
    expect(hashes).toHaveLength(3);
    for (const h of hashes) expect(h).toMatch(/^scrypt:[0-9a-f]{32}:[0-9a-f]{64}$/);

    // The owner's CLI needs no PIN, even with staff set up.
    const scan = lanyard('scan', code).json as { status: string; guest: { id: string } };
    expect(scan.status).toBe('checked_in');
    expect(lanyard('undo', scan.guest.id).json).toMatchObject({ guest: { checkedIn: false } });
  });
});

describe('the loopback host', () => {
  it('asks the screen for a sign-in and locks PIN entry after five wrong PINs, like IPC, idempotency keys or not', async () => {
    const dir = tempDir('staff-http');
    const staticDir = fs.mkdtempSync(path.join(dir.dir, 'static-'));
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>kiosk</title>'); // API only here
    const kiosk = createKiosk({ dataDir: path.join(dir.dir, 'data'), now: Date.now, secrets: testSecrets });
    // As `lanyard serve` runs it: with the idempotency store, and a fresh key per call as the renderer sends.
    const dispatch = createDispatcher(kiosk.handlers, new IdempotencyStore(kiosk.db!, Date.now));
    const host = await startHttpHost({ dispatch, staticDir, port: 0 });
    try {
      createDispatcher(kiosk.ownerHandlers)('staff.add', { name: 'Bernd', role: 'supervisor', pin: '9876' });
      const post = async (method: string, input: unknown) => {
        const r = await fetch(`${host.url}/api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
          body: JSON.stringify(input),
        });
        return (await r.json()) as { ok: boolean; error?: { code: string } };
      };
      expect((await post('guests.search', { query: 'a', limit: 1 })).error?.code).toBe('sign_in_required');
      for (let i = 0; i < 4; i++) expect((await post('kiosk.checkPin', { pin: '0000' })).error?.code).toBe('bad_pin');
      expect((await post('staff.signIn', { name: 'Bernd', pin: '0000' })).error?.code).toBe('pin_locked');
      expect((await post('staff.signIn', { name: 'Bernd', pin: '9876' })).error?.code).toBe('pin_locked');
    } finally {
      await host.close();
      kiosk.close();
      dir.cleanup();
    }
  });
});

describe('upgrading a kiosk with the single staff PIN of earlier versions', () => {
  it('turns that PIN into the supervisor "Supervisor", which still unlocks kiosk mode', () => {
    const dir = tempDir('staff-legacy');
    try {
      // A kiosk database as the version before staff left it: every earlier migration, the one PIN in meta.
      const staffVersion = migrations.find((m) => m.name === 'staff')!.version;
      const raw = new BetterSqlite3(databaseFile(dir.dir));
      raw.transaction(() => {
        for (const m of migrations) if (m.version < staffVersion) m.up(raw);
        raw.prepare(`INSERT INTO meta (key, value) VALUES ('staff_pin', ?)`).run(hashPin('2468'));
        raw.pragma(`application_id = ${APPLICATION_ID}`);
        raw.pragma(`user_version = ${staffVersion - 1}`);
      })();
      raw.close();

      const kiosk = createKiosk({ dataDir: dir.dir, now: Date.now, secrets: testSecrets });
      const call = createDispatcher(kiosk.handlers);
      expect(call('staff.list', {})).toMatchObject({
        ok: true,
        value: { staff: [{ name: 'Supervisor', role: 'supervisor' }] },
      });
      expect(call('kiosk.checkPin', { pin: '1111' })).toMatchObject({ ok: false, error: { code: 'bad_pin' } });
      expect(call('kiosk.checkPin', { pin: '2468' })).toEqual({ ok: true, value: { unlocked: true } });
      expect(kiosk.db!.prepare(`SELECT count(*) FROM meta WHERE key = 'staff_pin'`).pluck().get()).toBe(0);
      kiosk.close();
    } finally {
      dir.cleanup();
    }
  });
});
