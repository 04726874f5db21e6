/**
 * Setup file of the integration and e2e tiers: after each test file, the temporary directories it made
 * with tempDir and did not remove (a kiosk's data folder, a server's, a PostgreSQL cluster's) go. Without
 * it every run left ~600 `lanyard-*` folders in the machine's temp dir. Registered here, before the
 * file's own hooks, so it runs after them (vitest runs after-hooks in reverse order): servers and kiosks
 * the file's afterAll closes are closed by then.
 */
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp.ts';

afterAll(() => {
  removeTempDirs();
});
