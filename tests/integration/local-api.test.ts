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

describe('a request body over the host’s limit', () => {
  it('is answered with request_too_large after the body is read, not with a dropped connection', async () => {
    // 65 MB: over the 64 MB a roster upload's base64 may take. Before, the host destroyed the socket as the
    // limit passed: the browser saw a network error, sent the same body twice more (the client retries a
    // call that lost its answer) and then showed "the kiosk core is not answering".
    const body = `{"fileName":"big.csv","dataBase64":"${'A'.repeat(65 * 1024 * 1024)}"}`;
    const response = await fetch(`${host.url}/api/roster.upload`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { ok: boolean; error?: { code: string; message: string } };
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('request_too_large');
    expect(result.error?.message).toMatch(/64 MB/);
    // The host still answers the next call on a fresh connection.
    const stats = await fetch(`${host.url}/api/stats.get`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(((await stats.json()) as { ok: boolean }).ok).toBe(true);
  });

  it('an endless body is cut off once it passes four times the limit', async () => {
    const target = new URL(`${host.url}/api/roster.upload`);
    let sent = 0;
    const outcome = await new Promise<string>((resolve) => {
      const req = http.request({
        host: '127.0.0.1',
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(`answered ${res.statusCode}`);
      });
      req.on('error', (error) => resolve(`cut: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
      const chunk = Buffer.alloc(1024 * 1024, 0x41);
      const pump = (): void => {
        // 300 MB at most from this side: the host must stop it before (4 × 64 MB = 256 MB).
        while (sent < 300) {
          sent++;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      req.write('{"fileName":"x.csv","dataBase64":"');
      pump();
    });
    expect(outcome).toMatch(/^cut: /);
    expect(sent, 'MB sent before the host cut the body off').toBeLessThan(300);
  }, 60_000);
});
