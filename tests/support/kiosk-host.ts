import path from 'node:path';
import fs from 'node:fs';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk, idempotencyOf, type Kiosk, type KioskOptions } from '../../electron/core/kiosk.ts';
import { startHttpHost, type HttpHost } from '../../electron/host/http.ts';
import { testSecrets } from './secrets.ts';

export const RENDERER_DIR = path.resolve(import.meta.dirname, '../../dist/renderer');

/** A real kiosk core on a real SQLite file, behind the real loopback host, serving the built renderer. */
export async function startKioskHost(
  dataDir: string,
  options: Pick<KioskOptions, 'hubPgliteTemplate' | 'lowDiskMb'> = {},
): Promise<{ kiosk: Kiosk; host: HttpHost }> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`the renderer is not built (${RENDERER_DIR}): run "npm run build" first — npm test does`);
  }
  const kiosk = createKiosk({ dataDir, now: Date.now, secrets: testSecrets, ...options });
  // The store follows the kiosk's database, which closing the event replaces.
  const dispatch = createDispatcher(kiosk.handlers, idempotencyOf(kiosk, Date.now));
  const host = await startHttpHost({ dispatch, staticDir: RENDERER_DIR, port: 0 });
  return { kiosk, host };
}
