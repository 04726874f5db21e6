import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SYNC_PROTOCOL_VERSION } from '../../../shared/sync/protocol.ts';
import { demoEvent } from '../../../electron/core/demo/generate.ts';
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../../support/sync-server.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * Issue 13, finding 9: the server's files were 0666, /metrics was public, X-Forwarded-* was trusted from
 * any client and JSON answers lacked nosniff. Each attack as it was made, on a real server (PGlite).
 */
const servers: TestServer[] = [];
afterEach(async () => {
  while (servers.length > 0) await servers.pop()!.close();
});

async function start(extra: Parameters<typeof startTestServer>[3] = {}, dataDir = tempDir('server').dir) {
  const server = await startTestServer({ kind: 'pglite' }, dataDir, 0, extra);
  servers.push(server);
  return server;
}

function pairAttempt(server: TestServer, forwardedFor: string) {
  return fetch(`${server.url}/v1/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ protocol: SYNC_PROTOCOL_VERSION, code: 'WRONG-CODE', deviceId: 'rogue-device-01' }),
  });
}

function walk(dir: string): { file: string; mode: number; directory: boolean }[] {
  const out: { file: string; mode: number; directory: boolean }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    out.push({ file, mode: fs.statSync(file).mode & 0o777, directory: entry.isDirectory() });
    if (entry.isDirectory()) out.push(...walk(file));
  }
  return out;
}

describe('finding 9: server files, metrics, proxies and headers', () => {
  it('finding 9a: PGlite files are owner-only (0600, folders 0700) even under umask 000', async () => {
    const previous = process.umask(0);
    try {
      const dataDir = path.join(tempDir('server-perm').dir, 'data');
      const server = await start({}, dataDir);
      const publish = await fetch(`${server.url}/v1/admin/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ event: demoEvent, guests: [], keys: [], revokedCodes: [] }),
      });
      expect(publish.status).toBe(200);
      await servers.pop()!.close();
      expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
      const entries = walk(dataDir);
      expect(entries.length).toBeGreaterThan(100); // the PGlite cluster is there
      const open = entries.filter((e) => (e.directory ? e.mode !== 0o700 : (e.mode & 0o077) !== 0));
      expect(open.map((e) => `${e.file} ${e.mode.toString(8)}`)).toEqual([]);
    } finally {
      process.umask(previous);
    }
  });

  it('finding 9b: /metrics asks for its token when one is configured', async () => {
    const server = await start({ metricsToken: 'metrics-secret-0123456789' });
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${server.url}/metrics`, {
      headers: { authorization: 'Bearer metrics-secret-0123456789' },
    });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('lanyard_http_requests_total');
  });

  it('finding 9c: X-Forwarded-For from a client does not change who it is (pairing rate limit holds)', async () => {
    const server = await start();
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await pairAttempt(server, `203.0.113.${i}`)).status);
    expect(statuses.slice(0, 20).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
    const limited = await pairAttempt(server, '198.51.100.7');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });

  it('finding 9c: behind a configured proxy, X-Forwarded-For names the client', async () => {
    const server = await start({ trustProxy: '127.0.0.1' });
    for (let i = 0; i < 25; i++) expect((await pairAttempt(server, `203.0.113.${i}`)).status).toBe(400);
  });

  it('finding 9d: every answer, JSON included, carries nosniff and no-framing headers', async () => {
    const server = await start();
    for (const [route, init] of [
      ['/healthz', {}],
      ['/v1/sync/pull?cursor=0', {}],
      ['/no/such/route', {}],
      ['/', {}],
    ] as const) {
      const response = await fetch(`${server.url}${route}`, init);
      expect(response.headers.get('x-content-type-options'), route).toBe('nosniff');
      expect(response.headers.get('x-frame-options'), route).toBe('DENY');
      expect(response.headers.get('content-security-policy'), route).toBeTruthy();
    }
  });
});
