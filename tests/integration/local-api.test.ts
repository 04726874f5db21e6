import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk, type Kiosk } from '../../electron/core/kiosk.ts';
import { startHttpHost, type HttpHost } from '../../electron/host/http.ts';
import { tempDir } from '../support/temp.ts';
import { testSecrets } from '../support/secrets.ts';

/**
 * Issue 13, finding 7: the kiosk's loopback API had no authentication — another user of the laptop ran
 * `roster.export` and had every guest's email. The attack as it was made: plain HTTP to 127.0.0.1.
 */
let kiosk: Kiosk;
let host: HttpHost;
beforeAll(async () => {
  const staticDir = tempDir('static').dir;
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>kiosk</title>');
  fs.mkdirSync(path.join(staticDir, 'assets'));
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  kiosk = createKiosk({ dataDir: tempDir('local-api').dir, now: Date.now, secrets: testSecrets });
  host = await startHttpHost({ dispatch: createDispatcher(kiosk.handlers), staticDir, port: 0 });
  const loaded = await fetch(`${host.url}/api/event.loadDemo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(((await loaded.json()) as { ok: boolean }).ok).toBe(true);
});
afterAll(async () => {
  await host.close();
  kiosk.close();
});

function exportRoster(base: string, headers: Record<string, string> = {}) {
  return fetch(`${base}/api/roster.export`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ format: 'csv', forumId: '' }),
  });
}

describe('finding 7: the loopback API answers only who holds this launch’s secret', () => {
  it('finding 7: roster.export from another local user (no secret) is refused', async () => {
    const response = await exportRoster(host.origin);
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('@');
  });

  it('finding 7: a guessed or old secret is refused', async () => {
    expect((await exportRoster(`${host.origin}/k/${'A'.repeat(43)}`)).status).toBe(401);
    expect((await exportRoster(host.origin, { cookie: `lanyard_${new URL(host.url).port}=guess` })).status).toBe(401);
  });

  it('opening the printed address sets an HttpOnly, SameSite=Strict cookie and leaves the secret out of the address bar', async () => {
    const opened = await fetch(host.url, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/');
    const cookie = opened.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0]!;
    const withCookie = await exportRoster(host.origin, { cookie: pair });
    expect(withCookie.status).toBe(200);
    expect(((await withCookie.json()) as { ok: boolean }).ok).toBe(true);
    const page = await fetch(`${host.origin}/`, { headers: { cookie: pair } });
    expect(await page.text()).toContain('<title>kiosk</title>');
  });

  it('the page itself needs the secret; the public script files do not', async () => {
    const page = await fetch(`${host.origin}/`);
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('/k/');
    expect((await fetch(`${host.origin}/assets/app.js`)).status).toBe(200);
  });

  it('the Host and Origin checks still hold with the secret', async () => {
    // DNS rebinding: the secret is right, the Host header is not ours (fetch cannot set Host; http can).
    const target = new URL(`${host.url}/api/stats.get`);
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', host: 'evil.example' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(rebound).toBe(421);
    const crossSite = await exportRoster(host.url, { origin: 'http://evil.example' });
    expect(crossSite.status).toBe(403);
  });
});
