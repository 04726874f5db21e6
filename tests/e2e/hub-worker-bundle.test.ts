import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { template } from '../support/sync-server.ts';
import { tempDir } from '../support/temp.ts';

const root = path.resolve(import.meta.dirname, '../..');
const dist = path.join(root, 'dist-electron');
const WORKER = path.join(dist, 'server', 'routes', 'hub-worker.cjs');

/**
 * The venue hub's server thread as the Electron app would run it: the built bundle (npm run build), not the
 * sources. It must find its way from main.cjs, start the same server (PGlite from node_modules), and serve
 * the organisers' page from the files shipped beside it.
 */
describe('the bundled venue hub worker', () => {
  it('is built where main.cjs finds it, with the files the server reads beside its modules', () => {
    expect(fs.existsSync(WORKER)).toBe(true);
    expect(fs.readFileSync(path.join(dist, 'main.cjs'), 'utf8')).toContain('"./server/routes/hub-worker.cjs"');
    for (const file of ['server/page/admin.html', 'server/page/admin.js', 'shared/charts/geometry.ts']) {
      expect(fs.existsSync(path.join(dist, file)), file).toBe(true);
    }
  });

  it('starts the server, answers /healthz and the organisers’ page, and stops', async () => {
    const data = tempDir('hub-bundle');
    const worker = new Worker(WORKER, { workerData: null });
    const replies: Array<{ kind: string; url?: string; message?: string }> = [];
    const next = () =>
      new Promise<{ kind: string; url?: string; message?: string }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    try {
      const started = next();
      worker.postMessage({
        port: 0,
        host: '127.0.0.1',
        dataDir: path.join(data.dir, 'hub'),
        adminToken: 'lya_bundle-test-admin-token-0123456789abcdefghij',
        template: new Uint8Array(await (await template()).arrayBuffer()),
      });
      replies.push(await started);
      expect(replies[0], JSON.stringify(replies[0])).toMatchObject({ kind: 'started' });
      const url = replies[0]!.url!;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const page = await fetch(`${url}/admin`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html lang=');
      const charts = await fetch(`${url}/shared/charts/geometry.ts`);
      expect(charts.status, 'the chart geometry, stripped of its types at run time').toBe(200);
      // The page's fonts from @fontsource in node_modules, resolved from the bundle's own place.
      const fonts = await fetch(`${url}/admin-fonts.css`);
      expect(fonts.status).toBe(200);
      const woff2 = /url\((\/admin\/fonts\/noto-sans-sc\/[^)]+\.woff2\?v=[^)]+)\)/.exec(await fonts.text())?.[1];
      expect(woff2, 'a Noto Sans SC subset in the stylesheet').toBeDefined();
      const font = await fetch(`${url}${woff2}`);
      expect(font.status).toBe(200);
      expect(
        Buffer.from(await font.arrayBuffer())
          .subarray(0, 4)
          .toString('latin1'),
      ).toBe('wOF2');
      const stopped = next();
      worker.postMessage({ kind: 'stop' });
      expect(await stopped).toEqual({ kind: 'stopped' });
    } finally {
      await worker.terminate();
      data.cleanup();
    }
  }, 60_000);
});
