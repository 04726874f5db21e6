import fs from 'node:fs';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { LanyardApi } from '../../shared/api.ts';
import { tempDir } from '../support/temp.ts';

/**
 * The Electron shell end to end (Playwright `_electron`). It needs Electron's binary, which
 * ELECTRON_SKIP_BINARY_DOWNLOAD leaves out (our CI cannot download it). Where it is missing this suite
 * is reported as skipped, and says so loudly; it never passes without having run.
 */
const root = path.resolve(import.meta.dirname, '../..');
const pathFile = path.join(root, 'node_modules/electron/path.txt');
const binary = fs.existsSync(pathFile)
  ? path.join(root, 'node_modules/electron/dist', fs.readFileSync(pathFile, 'utf8').trim())
  : null;
const available = binary !== null && fs.existsSync(binary);

if (!available) {
  console.warn(
    '\n*** ELECTRON SUITE NOT RUN: the Electron binary is not installed (node_modules/electron/dist is missing;\n' +
      '*** ELECTRON_SKIP_BINARY_DOWNLOAD was set or the download failed). Run `npx install-electron` where the\n' +
      '*** network allows it, then `npm test` runs this suite too. ***\n',
  );
}

describe.skipIf(!available)('Electron shell', () => {
  it('opens the locked-down window, loads the demo and checks a guest in over IPC', async () => {
    const data = tempDir('electron');
    const app = await electron.launch({
      executablePath: binary!,
      args: [root, '--no-kiosk'],
      env: { ...process.env, LANYARD_DATA: data.dir },
    });
    try {
      const page = await app.firstWindow();
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const web = BrowserWindow.getAllWindows()[0]!.webContents;
        return { url: web.getURL() };
      });
      expect(prefs.url).toBe('app://lanyard/index.html');
      // Node is not reachable from the page; only the contract API is.
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      await page.getByTestId('load-demo').click();
      const search = await page.evaluate(() =>
        (window as { lanyard?: LanyardApi }).lanyard!['guests.search']({ query: 'liu qing', limit: 1 }),
      );
      expect(search.ok).toBe(true);
      const code = search.ok ? search.value.results[0]!.codes[0]! : '';
      await page.getByTestId('scan-input').focus();
      await page.keyboard.type(code, { delay: 4 });
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('banner').getAttribute('data-status')).toBe('checked_in');
    } finally {
      await app.close();
      data.cleanup();
    }
  });
});
