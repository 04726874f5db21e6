import BetterSqlite3 from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import { hashPin } from '../../electron/core/staff/pin.ts';
import type { Result } from '../../shared/result.ts';
import { valueOf as value } from '../support/call.ts';
import { testSecrets } from '../support/secrets.ts';
import { tempDir } from '../support/temp.ts';

/**
 * The staff gate keeps the staff count in memory for a second (StaffStore.count): staff the owner's CLI
 * adds or removes in another process, while the app runs, must still lock or open the door within it.
 */
let kiosk: Kiosk | null = null;
const dir = tempDir('staff-elsewhere');
afterEach(() => {
  kiosk?.close();
  dir.cleanup();
});

const codeOf = (r: Result<unknown>) => (r.ok ? null : r.error.code);

it('a supervisor added by another process locks the open door within a second; removing them opens it again', async () => {
  kiosk = createKiosk({ dataDir: dir.dir, now: Date.now, secrets: testSecrets });
  const screen = createDispatcher(kiosk.handlers);
  value(screen('event.loadDemo', {}));
  const search = () => screen('guests.search', { query: 'wang', limit: 1 });
  expect(codeOf(search())).toBeNull(); // no staff: open to whoever stands at it

  // The CLI's own connection to the same file, as `lanyard staff add` has.
  const other = new BetterSqlite3(kiosk.db!.name);
  try {
    other
      .prepare(
        `INSERT INTO staff (id, name, name_key, role, pin_hash, created_ms) VALUES ('s1', 'Bernd Vogel', 'bernd vogel', 'supervisor', ?, ?)`,
      )
      .run(hashPin('9876'), Date.now());
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(codeOf(search())).toBe('sign_in_required');

    other.prepare(`DELETE FROM staff`).run();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(codeOf(search())).toBeNull();
  } finally {
    other.close();
  }
});
