import childProcess from 'node:child_process';
import dgram from 'node:dgram';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { afterAll, afterEach } from 'vitest';

/**
 * Setup file of the `unit` project: a unit test does no I/O beyond a temp SQLite file. Opening a socket
 * (a server's listen, a client's connect — fetch, HTTP, PostgreSQL, a browser's DevTools pipe all end
 * there), starting a process (which is also how a browser is launched) or binding a UDP socket throws
 * here, and the test that tried fails even if the code under test swallowed the error. Such a test
 * belongs in tests/integration (or tests/e2e when it needs a build or a browser).
 * tests/unit/unit-no-io.test.ts proves each trap fires.
 */
export class UnitIoError extends Error {
  constructor(what: string) {
    super(`unit tests do no I/O: ${what} was called — move this test to tests/integration (or tests/e2e)`);
    this.name = 'UnitIoError';
  }
}

/** What the traps caught since the last test ended; the hook below fails the test that caused them. */
export const caught: UnitIoError[] = [];

type Patch = { target: object; key: string; original: unknown };
const patches: Patch[] = [];

function trap(target: object, key: string, what: string): void {
  const record = target as Record<string, unknown>;
  patches.push({ target, key, original: record[key] });
  record[key] = function refused(): never {
    const error = new UnitIoError(what);
    caught.push(error);
    throw error;
  };
}

for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  trap(childProcess, name, `child_process.${name}`);
}
trap(net.Socket.prototype, 'connect', 'a socket connect (net, http, fetch, pg)');
trap(net.Server.prototype, 'listen', 'a server listen (net, http, Fastify)');
trap(dgram, 'createSocket', 'dgram.createSocket');
// `import { spawn } from 'node:child_process'` reads the ESM view of the module: bring it in line.
syncBuiltinESMExports();

afterEach(() => {
  const found = caught.splice(0);
  if (found.length > 0) throw found[0]!;
});

// A worker may be reused for another file (or project): leave the modules as they were.
afterAll(() => {
  for (const { target, key, original } of patches.splice(0).reverse()) {
    (target as Record<string, unknown>)[key] = original;
  }
  syncBuiltinESMExports();
});
