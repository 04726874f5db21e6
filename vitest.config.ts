import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Three suites, one command (`npm test`; one tier: `npm run test:unit|test:integration|test:e2e`). Every tool
// comes from npm: e2e drives the Chromium of @sparticuz/chromium (or CHROME_PATH) against the loopback host,
// so it needs `npm run build` first (npm test does that). LANYARD_BROWSER_SEARCH=npm keeps the badge PDFs
// off any browser the machine happens to have.
const env = { LANYARD_BROWSER_SEARCH: 'npm' };

// Node's compile cache (a Node feature, not ours): the `lanyard` processes the CLI tests start (hundreds,
// each loading the same TypeScript sources and large CommonJS packages) and the test workers keep the
// stripped and compiled code on disk, so each start after the first skips type stripping and most parsing
// (measured: 2.3–2.8 → 1.2–1.9 s CPU per `lanyard stats`). Set here, before any worker is forked, so every
// process of the run inherits it; the cache is keyed by each file's content, so a changed file is compiled
// afresh.
process.env['NODE_COMPILE_CACHE'] ??= path.resolve(import.meta.dirname, 'node_modules/.cache/node-compile-cache');

export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: ONE on a 2-core machine, so the unit and
    // integration files ran one at a time while the second core idled — a CLI test's worker waits on the
    // `lanyard` process it started, a sync test's on its server, fsync and sockets. Two workers there; the
    // default elsewhere. e2e keeps its own one-at-a-time (fileParallelism: false) and runs after the others.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/lint/**/*.test.ts'],
          // No browser, no server, no child process (the setup file fails a test that tries); CPU-bound
          // checks (property runs, ESLint) still take a while on a 2-core machine shared with other runs.
          testTimeout: 30_000,
          setupFiles: ['tests/support/unit-no-io.ts'],
          env,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // The CLI tests start a Node process per command: minutes, not seconds, on a loaded 2-core machine.
          testTimeout: 180_000,
          // A kiosk made fresh for every test (beforeEach) took over vitest's default 10 s at load average 25
          // with two files running side by side.
          hookTimeout: 60_000,
          env,
          globalSetup: ['tests/support/unpack-chromium.ts'],
          setupFiles: ['tests/support/temp-cleanup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts', 'tests/e2e-electron/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // expect.poll's own default is 1 s, and a poll's read is a round trip to the page: under load one
          // read took longer than that alone ("expect.poll() function didn't resolve in time", a walk-in
          // scan answered). The 116 polls without a timeout of their own wait for something to happen, none
          // for it to happen quickly (latency is the benches' job; a poll that means "at once" says so).
          expect: { poll: { timeout: 15_000 } },
          fileParallelism: false,
          env,
          globalSetup: ['tests/support/unpack-chromium.ts'],
          setupFiles: ['tests/support/temp-cleanup.ts'],
        },
      },
    ],
  },
});
