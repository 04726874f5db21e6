import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/sync-server.ts';

/**
 * The organisers' page's fonts (Noto Sans, Noto Sans SC from @fontsource, as the kiosk screen bundles):
 * one stylesheet of unicode-range subsets, each file long-cached, and nothing else of the disk reachable.
 */
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ kind: 'pglite' });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

/** A request with its path sent exactly as written (fetch would resolve the `../` before sending). */
const rawGet = (rawPath: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const request = http.get(`${server.url}/`, { path: rawPath }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('latin1') }),
      );
    });
    request.on('error', reject);
  });

const fontUrls = async (): Promise<string[]> => {
  const css = await (await fetch(`${server.url}/admin-fonts.css`)).text();
  return [...css.matchAll(/url\(([^)]+)\)/g)].map((m) => m[1]!);
};

describe('the page’s fonts', () => {
  it('the page asks for them, and its CSP lets it load fonts from this origin only', async () => {
    const response = await fetch(`${server.url}/admin`);
    expect(response.headers.get('content-security-policy')).toContain("font-src 'self'");
    expect(response.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    const html = await response.text();
    expect(html.indexOf('href="/admin-fonts.css"')).toBeGreaterThan(0);
    expect(html.indexOf('href="/admin-fonts.css"')).toBeLessThan(html.indexOf('href="/admin.css"'));
    const style = await (await fetch(`${server.url}/admin.css`)).text();
    expect(style).toMatch(/font-family:\s*'Noto Sans',\s*'Noto Sans SC',\s*'Noto Sans KR',\s*system-ui/);
  });

  it('one stylesheet: the three families, 400 and 700, split by unicode-range, every file on this server', async () => {
    const response = await fetch(`${server.url}/admin-fonts.css`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/css/);
    const css = await response.text();
    for (const family of ["'Noto Sans'", "'Noto Sans SC'", "'Noto Sans KR'"]) {
      for (const weight of [400, 700]) {
        const faces = css
          .split('@font-face')
          .filter((f) => f.includes(family) && f.includes(`font-weight: ${weight};`));
        expect(faces.length, `${family} ${weight}`).toBeGreaterThan(family === "'Noto Sans'" ? 3 : 50);
        for (const face of faces) expect(face).toContain('unicode-range:');
      }
    }
    const urls = await fontUrls();
    expect(urls.length).toBeGreaterThan(200);
    for (const url of urls)
      expect(url).toMatch(/^\/admin\/fonts\/noto-sans(-sc|-kr)?\/[\w.-]+\.woff2?\?v=\d+\.\d+\.\d+$/);
  });

  it('serves a subset file with its type and a year in the cache', async () => {
    const url = (await fontUrls()).find((u) => u.includes('/noto-sans-sc/') && u.includes('.woff2?'))!;
    const response = await fetch(`${server.url}${url}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('font/woff2');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(
      Buffer.from(await response.arrayBuffer())
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('wOF2');
    const woff = (await fontUrls()).find((u) => u.includes('/noto-sans/') && /\.woff\?/.test(u))!;
    expect((await fetch(`${server.url}${woff}`)).headers.get('content-type')).toBe('font/woff');
  });

  it('refuses anything but the files the stylesheet names: no ../, no absolute path, no other file', async () => {
    const sc = (await fontUrls()).find((u) => u.includes('/noto-sans-sc/'))!;
    const scFile = sc.split('/').pop()!.split('?')[0]!;
    const refused = [
      '/admin/fonts/noto-sans/../../../../package.json',
      '/admin/fonts/noto-sans/..%2F..%2F..%2F..%2Fpackage.json',
      '/admin/fonts/noto-sans/..%2Fpackage.json',
      '/admin/fonts/..%2F..%2F..%2F..%2F/package.json',
      '/admin/fonts/noto-sans/%2Fetc%2Fpasswd',
      '/admin/fonts/%2Fetc/passwd',
      '/admin/fonts/noto-sans//etc/passwd',
      '/admin/fonts/noto-sans/files%2F' + scFile,
      `/admin/fonts/noto-sans/${scFile}`, // a real file, under the other package
      '/admin/fonts/noto-sans-sc/400.css', // in the package, but not a font the stylesheet names
      '/admin/fonts/noto-sans-sc/package.json',
      '/admin/fonts/roboto/roboto-latin-400-normal.woff2',
    ];
    for (const rawPath of refused) {
      const response = await rawGet(rawPath);
      expect([400, 404], rawPath).toContain(response.status);
      expect(response.body, rawPath).not.toMatch(/"version"|root:|@font-face|wOF2/);
    }
  });
});
