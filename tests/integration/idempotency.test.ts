import http from 'node:http';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { IdempotencyStore } from '../../electron/core/idempotency.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import { startHttpHost, type HttpHost } from '../../electron/host/http.ts';
import { tempDir } from '../support/temp.ts';
import { testSecrets } from '../support/secrets.ts';

/**
 * Issue 13: the kiosk API had no idempotency key, so a client retrying a walk-in after a lost answer made
 * a duplicate guest (the kill test: 58 of 120 cut requests had committed). Real kiosk, real loopback host.
 */
let kiosk: Kiosk;
let host: HttpHost;
beforeAll(async () => {
  const staticDir = tempDir('static').dir;
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html>');
  kiosk = createKiosk({ dataDir: tempDir('idem').dir, now: Date.now, secrets: testSecrets });
  const dispatch = createDispatcher(kiosk.handlers, new IdempotencyStore(kiosk.db!, Date.now));
  host = await startHttpHost({ dispatch, staticDir, port: 0 });
  expect((await call('event.loadDemo', {})).ok).toBe(true);
});
afterAll(async () => {
  await host.close();
  kiosk.close();
});

async function call(method: string, input: unknown, key?: string) {
  const response = await fetch(`${host.url}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(input),
  });
  return (await response.json()) as { ok: boolean; value?: { guest: { id: string } }; error?: { code: string } };
}

const guestsNamed = (name: string) =>
  (kiosk.db!.prepare(`SELECT count(*) AS n FROM guests WHERE display_name = ?`).get(name) as { n: number }).n;

/** Sends the request and hangs up before the answer: the client never learns whether it committed. */
function sendAndHangUp(method: string, input: unknown, key: string): Promise<void> {
  const url = new URL(`${host.url}/api/${method}`);
  return new Promise((resolve) => {
    const req = http.request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key, host: url.host },
    });
    req.on('error', () => resolve());
    req.on('response', (res) => {
      res.destroy(); // the answer is lost
      resolve();
    });
    req.end(JSON.stringify(input));
  });
}

describe('idempotent calls', () => {
  it('a walk-in retried after its answer was lost is one guest, and the retry gets the first answer', async () => {
    const walkIn = { name: 'Retry Ruth', organization: 'Idempotent GmbH', email: '', role: 'guest' };
    const key = randomUUID();
    await sendAndHangUp('guests.walkIn', walkIn, key);
    expect(guestsNamed('Retry Ruth')).toBe(1); // it had committed
    const retried = await call('guests.walkIn', walkIn, key);
    expect(retried.ok).toBe(true);
    const again = await call('guests.walkIn', walkIn, key);
    expect(again.value!.guest.id).toBe(retried.value!.guest.id);
    expect(guestsNamed('Retry Ruth')).toBe(1);
  });

  it('without a key a repeat is a new call (what the renderer used to do)', async () => {
    const walkIn = { name: 'Twice Tom', organization: '', email: '', role: 'guest' };
    await call('guests.walkIn', walkIn);
    await call('guests.walkIn', walkIn);
    expect(guestsNamed('Twice Tom')).toBe(2);
  });

  it('a refused call stores nothing: the same key works once the input is right', async () => {
    const key = randomUUID();
    const refused = await call('guests.walkIn', { name: '', organization: '', email: '', role: 'guest' }, key);
    expect(refused.error?.code).toBe('invalid_input');
    const fixed = await call('guests.walkIn', { name: 'Fixed Fay', organization: '', email: '', role: 'guest' }, key);
    expect(fixed.ok).toBe(true);
    expect(guestsNamed('Fixed Fay')).toBe(1);
  });

  it('a key used for another method, or malformed, is refused', async () => {
    const key = randomUUID();
    expect((await call('guests.walkIn', { name: 'Key Kim', organization: '', email: '', role: 'guest' }, key)).ok).toBe(
      true,
    );
    expect((await call('checkins.undo', { guestId: 'g0001' }, key)).error?.code).toBe('invalid_input');
    expect(
      (await call('guests.walkIn', { name: 'Short Key', organization: '', email: '', role: 'guest' }, 'x')).error?.code,
    ).toBe('invalid_input');
  });
});
