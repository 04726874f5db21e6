import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cluster,
  codeOf,
  guestIds,
  newKiosk,
  pairingCode,
  startTestServer,
  type TestKiosk,
  type TestServer,
} from '../../support/sync-server.ts';
import { must } from '../../support/call.ts';

/**
 * The background sync loop of a real kiosk core (R7), through a small counting stand-in in front of the
 * real server: it forwards, or answers 503 with Retry-After itself, and counts every request it sees.
 */
interface StandIn {
  url: string;
  requests: string[];
  mode: 'forward' | 'unavailable';
  close(): Promise<void>;
}

async function standIn(target: string): Promise<StandIn> {
  const state: StandIn = { url: '', requests: [], mode: 'forward', close: () => Promise.resolve() };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests.push(`${req.method} ${(req.url ?? '').split('?')[0]}`);
      if (state.mode === 'unavailable') {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '120' });
        res.end(JSON.stringify({ error: { code: 'unavailable', message: 'down for maintenance' } }));
        return;
      }
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type', 'idempotency-key']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const body = Buffer.concat(chunks);
      void fetch(`${target}${req.url ?? ''}`, {
        method: req.method ?? 'GET',
        headers,
        body: body.length > 0 ? body : null,
      }).then(
        async (upstream) => {
          res.writeHead(upstream.status, {
            'content-type': upstream.headers.get('content-type') ?? 'application/json',
          });
          res.end(Buffer.from(await upstream.arrayBuffer()));
        },
        () => {
          res.writeHead(502);
          res.end('{}');
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

let server: TestServer;
let eventId: string;
let organiser: TestKiosk;
const toClose: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  server = await startTestServer({ kind: 'pglite' });
  const made = await cluster(server, ['Organiser']);
  eventId = made.eventId;
  organiser = made.kiosks[0]!;
  toClose.push(() => organiser.kiosk.close());
}, 60_000);

afterAll(async () => {
  for (const close of toClose.reverse()) await close();
  await server.close();
});

async function pairedThroughStandIn(door: string): Promise<{ k: TestKiosk; proxy: StandIn }> {
  const proxy = await standIn(server.url);
  const k = newKiosk(door);
  toClose.push(() => proxy.close());
  toClose.push(() => k.kiosk.close());
  await k.kiosk.sync!.engine.pair(proxy.url, await pairingCode(server, eventId, door));
  return { k, proxy };
}

describe('sync loop (R7) on a real kiosk core', () => {
  it('401 (device revoked): the loop stops, no further requests, scanning goes on', async () => {
    const { k, proxy } = await pairedThroughStandIn('North');
    const { engine, loop } = k.kiosk.sync!;
    const before = proxy.requests.length;
    loop.start();
    await until('a healthy round', () => proxy.requests.length > before && engine.status().state === 'online');
    expect(engine.status().nextAttemptAt).not.toBeNull(); // the loop is running

    const deviceId = must(k.kiosk, 'app.status', {}).device!.id;
    const revoked = await fetch(`${server.url}/v1/admin/devices/${deviceId}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    expect(revoked.status).toBe(200);

    const atRevoke = proxy.requests.length;
    loop.trigger();
    await until('the re-pair state', () => engine.status().state === 'reauth');
    await until('the loop to stop', () => engine.status().nextAttemptAt === null);
    // One refused request, then nothing: no retry, no timer, even when asked to sync again.
    expect(proxy.requests.length).toBe(atRevoke + 1);
    expect(engine.status().nextAttemptAt).toBeNull();
    loop.trigger();
    must(k.kiosk, 'sync.now', {});
    await sleep(1_000);
    expect(proxy.requests.length).toBe(atRevoke + 1);
    // A revoked device reads as device_revoked (a stable code the door translates), not a bare 401.
    expect(engine.status().lastError?.code).toBe('device_revoked');

    // The door keeps working; the check-in waits for re-pairing.
    const guest = guestIds(k, 1)[0]!;
    expect(must(k.kiosk, 'guests.scan', { code: codeOf(k, guest) }).status).toBe('checked_in');
    expect(engine.status().pending).toBe(1);
    await sleep(300);
    expect(proxy.requests.length).toBe(atRevoke + 1);
  }, 30_000);

  it("503 with Retry-After: the next attempt waits at least the server's delay", async () => {
    const { k, proxy } = await pairedThroughStandIn('South');
    const { engine, loop } = k.kiosk.sync!;
    proxy.mode = 'unavailable';
    const before = proxy.requests.length;
    const started = Date.now();
    loop.start();
    await until('a failed round', () => engine.status().state === 'offline');
    await until(
      'the next attempt to be scheduled',
      () => engine.nextAttemptMs !== null && engine.nextAttemptMs > started,
    );
    // Retry-After: 120 (s) is the floor; the first retry's own jitter is at most 1 s.
    expect(engine.nextAttemptMs! - Date.now()).toBeGreaterThan(119_000);
    expect(engine.nextAttemptMs! - started).toBeLessThanOrEqual(121_000);
    await sleep(500);
    expect(proxy.requests.length).toBe(before + 1);
    loop.stop();
    expect(engine.status().nextAttemptAt).toBeNull();
  }, 30_000);
});
