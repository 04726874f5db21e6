import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKiosk } from '../../electron/core/kiosk.ts';
import { openDatabase } from '../../electron/core/db/open.ts';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { tempDir } from '../support/temp.ts';
import { testSecrets } from '../support/secrets.ts';

/**
 * Issue 13, findings 6 and 8: another user of the kiosk laptop could read the data directory (0755, the
 * database 0644) and the staging file a killed import left in /tmp (0644, every new guest's email).
 */
const CLI = path.resolve(import.meta.dirname, '../../electron/cli/lanyard.ts');

function modeOf(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

describe('finding 6: the data directory and database are owner-only', () => {
  it.runIf(process.platform !== 'win32')(
    'a data directory shared by every user (sticky, world-writable: /tmp) is refused and left as it was',
    () => {
      // Opening a database in /tmp made /tmp 0700 (found in session 13: the next embedded PostgreSQL could
      // not read its password file there) — for every user and service of the laptop. Refused instead.
      for (const mode of [0o1777, 0o777]) {
        const shared = path.join(tempDir('shared').dir, 'shared');
        fs.mkdirSync(shared);
        fs.chmodSync(shared, mode);
        const open = () => openDatabase(path.join(shared, 'lanyard.sqlite'));
        expect(open).toThrow(expect.objectContaining({ code: 'data_dir_shared' }));
        expect(fs.statSync(shared).mode & 0o7777).toBe(mode);
        expect(fs.readdirSync(shared)).toEqual([]); // nothing written there either
        // A kiosk pointed at it opens without its database and answers every call with that reason.
        const kiosk = createKiosk({ dataDir: shared, now: Date.now, secrets: testSecrets });
        const answer = createDispatcher(kiosk.handlers)('event.loadDemo', {});
        expect(answer).toMatchObject({ ok: false, error: { code: 'data_dir_shared' } });
        kiosk.close();
        expect(fs.statSync(shared).mode & 0o7777).toBe(mode);
        expect(fs.readdirSync(shared)).toEqual([]);
      }
    },
  );

  it('finding 6: a kiosk opened under umask 022 on a 0755 folder keeps it 0700 and its files 0600', () => {
    const previous = process.umask(0o022);
    try {
      const dir = path.join(tempDir('private').dir, 'kiosk');
      fs.mkdirSync(dir, { mode: 0o755 });
      fs.chmodSync(dir, 0o755);
      const kiosk = createKiosk({ dataDir: dir, now: Date.now, secrets: testSecrets });
      const call = createDispatcher(kiosk.handlers);
      expect(call('event.loadDemo', {}).ok).toBe(true);
      expect(modeOf(dir)).toBe(0o700);
      const files = fs.readdirSync(dir).filter((f) => f.startsWith('lanyard.sqlite'));
      expect(files).toEqual(expect.arrayContaining(['lanyard.sqlite', 'lanyard.sqlite-wal', 'lanyard.sqlite-shm']));
      for (const f of files) expect([f, modeOf(path.join(dir, f))]).toEqual([f, 0o600]);
      kiosk.close();
    } finally {
      process.umask(previous);
    }
  });

  it('finding 6: an existing database left 0644 by an older Lanyard is made 0600 when opened', () => {
    const dir = tempDir('private-old').dir;
    createKiosk({ dataDir: dir, now: Date.now, secrets: testSecrets }).close();
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.join(dir, 'lanyard.sqlite'), 0o644);
    createKiosk({ dataDir: dir, now: Date.now, secrets: testSecrets }).close();
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(path.join(dir, 'lanyard.sqlite'))).toBe(0o600);
  });
});

describe('finding 8: a killed import leaves no readable scratch file', () => {
  it('finding 8: the staging file lives in the private data directory and is removed on the next start', async () => {
    const dir = tempDir('staging-kill').dir;
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, ...args, '--data', dir, '--json'], { encoding: 'utf8' });
    expect(run('init', '--demo').status).toBe(0);
    const rows = ['Name,E-Mail,Firma'];
    for (let i = 0; i < 20_000; i++) rows.push(`Guest ${i},guest.${i}@staging-kill.example,Org ${i % 97}`);
    const csv = path.join(tempDir('staging-csv').dir, 'big.csv');
    fs.writeFileSync(csv, rows.join('\n'));
    const tmpBefore = new Set(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('lanyard-import-')));

    const child = spawn(process.execPath, [CLI, 'import', csv, '--data', dir, '--json'], { stdio: 'ignore' });
    const stagingDir = path.join(dir, 'staging');
    let seen = '';
    const deadline = Date.now() + 60_000;
    while (seen === '' && Date.now() < deadline && child.exitCode === null) {
      const found = fs.existsSync(stagingDir) ? fs.readdirSync(stagingDir) : [];
      seen = found.find((f) => f.endsWith('.db')) ?? '';
      if (seen === '') await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(seen).toMatch(/^lanyard-import-\d+-[0-9a-f]+\.db$/);

    const tmpAfter = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('lanyard-import-') && !tmpBefore.has(f));
    expect(tmpAfter).toEqual([]); // nothing in the shared temp folder
    expect(modeOf(dir)).toBe(0o700); // the scratch file sits behind the owner-only data directory
    expect(fs.readdirSync(stagingDir).length).toBeGreaterThan(0); // the kill left it behind…

    expect(run('stats').status).toBe(0); // …and the next start removes it at once, not after a day
    expect(fs.readdirSync(stagingDir)).toEqual([]);
  }, 120_000);
});
