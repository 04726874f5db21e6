import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { chromium } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { caught, UnitIoError } from '../support/unit-no-io.ts';

/**
 * The unit project's setup file (tests/support/unit-no-io.ts) refuses sockets, processes and browsers.
 * Each trap is sprung here; the test then takes what the trap caught, so only these tests survive it.
 */
function takeCaught(): string[] {
  return caught.splice(0).map((error) => error.message);
}

afterEach(() => {
  // Nothing left behind for the setup file's hook: each test below took what it caused.
  expect(caught).toEqual([]);
});

describe('a unit test cannot do I/O', () => {
  it('starting a process throws, through the ESM named import too', () => {
    expect(() => spawn(process.execPath, ['--version'])).toThrow(UnitIoError);
    expect(() => execFileSync(process.execPath, ['--version'])).toThrow(/unit tests do no I\/O: child_process/);
    expect(takeCaught()).toHaveLength(2);
  });

  it('a server cannot listen and a client cannot connect', () => {
    expect(() => http.createServer().listen(0)).toThrow(UnitIoError);
    expect(() => net.connect(5432, '127.0.0.1')).toThrow(UnitIoError);
    expect(takeCaught()).toEqual([expect.stringMatching(/listen/), expect.stringMatching(/connect/)]);
  });

  it('fetch fails, and the trap is recorded even though fetch wraps the error', async () => {
    await expect(fetch('http://127.0.0.1:45678/')).rejects.toThrow();
    expect(takeCaught()).toEqual([expect.stringMatching(/connect/)]);
  });

  it('a browser cannot be launched', async () => {
    await expect(chromium.launch({ executablePath: process.execPath, timeout: 10_000 })).rejects.toThrow();
    expect(takeCaught()).toEqual([expect.stringMatching(/child_process\.spawn/)]);
  });
});
