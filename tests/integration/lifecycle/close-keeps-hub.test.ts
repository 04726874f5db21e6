import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKiosk } from '../../../electron/core/kiosk.ts';
import { translate } from '../../../shared/i18n/index.ts';
import { asOwner, must } from '../../support/call.ts';
import { testSecrets } from '../../support/secrets.ts';
import { tempDir } from '../../support/temp.ts';

const CLI = path.resolve(import.meta.dirname, '../../../electron/cli/lanyard.ts');

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/**
 * A laptop that was the venue hub keeps the hub's server database in DIR/hub/: it may hold the only server
 * copy of other doors' check-ins (a hub never linked, or not relayed yet). Closing the event deletes the
 * kiosk's own data and never that folder, and both the close screen's check and `lanyard wipe` say so, in
 * the screen's language. (The folder is made by hand here: what matters is that it is there, not how a
 * hub filled it; turning a real hub on costs seconds of PGlite for nothing this test looks at.)
 */
describe('closing the event on a laptop that was the venue hub', () => {
  it('keeps DIR/hub/ and says so: the close check, the close answer, and lanyard wipe in Deutsch', () => {
    const data = tempDir('close-hub');
    cleanups.push(data.cleanup);
    const kiosk = createKiosk({ dataDir: data.dir, now: Date.now, secrets: testSecrets });
    cleanups.push(() => kiosk.close());
    const owner = asOwner(kiosk);
    must(owner, 'event.loadDemo', {});
    // No hub ever: nothing to say.
    expect(must(owner, 'event.closeCheck', {}).hubData).toBe('');

    const hub = path.join(data.dir, 'hub');
    const hubFile = path.join(hub, 'pgdata', 'PG_VERSION');
    fs.mkdirSync(path.dirname(hubFile), { recursive: true });
    fs.writeFileSync(hubFile, '17\n');
    expect(must(owner, 'event.closeCheck', {}).hubData).toBe(hub);
    must(owner, 'device.setLanguage', { language: 'de' });
    kiosk.close();

    const wipe = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, 'wipe', '--yes', '--force', '--data', data.dir, ...args], {
        encoding: 'utf8',
      });
    const closed = wipe();
    expect(closed.status, closed.stderr).toBe(0);
    expect(closed.stdout).toContain(translate('de', 'close.hubKept', { dir: hub }));
    expect(closed.stdout).toContain('Die Daten des Veranstaltungs-Hubs bleiben in');
    expect(fs.readFileSync(hubFile, 'utf8')).toBe('17\n');
    expect(fs.readdirSync(data.dir)).toEqual(['hub']);

    // The next event on this laptop, closed again: the answer names the folder it kept.
    const next = createKiosk({ dataDir: data.dir, now: Date.now, secrets: testSecrets });
    cleanups.push(() => next.close());
    must(asOwner(next), 'event.loadDemo', {});
    expect(must(asOwner(next), 'event.close', { force: true })).toEqual({
      closed: true,
      removedFiles: expect.any(Number) as number,
      hubData: hub,
    });
    expect(fs.readFileSync(hubFile, 'utf8')).toBe('17\n');
  }, 120_000);
});
