import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBrowser, systemBrowserPaths, unpackedWhole } from '../../electron/core/badges/find-browser.ts';

describe('finding a browser for badge PDFs', () => {
  it('knows the standard Chrome, Chromium and Edge locations of Windows, macOS and Linux', () => {
    const windows = systemBrowserPaths('win32', {
      PROGRAMFILES: 'C:\\Program Files',
      'PROGRAMFILES(X86)': 'C:\\Program Files (x86)',
      LOCALAPPDATA: 'C:\\Users\\door\\AppData\\Local',
    });
    expect(windows).toContain('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(windows).toContain('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe');
    expect(windows).toContain('C:\\Users\\door\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe');
    const mac = systemBrowserPaths('darwin', { HOME: '/Users/door' });
    expect(mac).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(mac).toContain('/Users/door/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge');
    const linux = systemBrowserPaths('linux', {});
    expect(linux).toEqual(
      expect.arrayContaining(['/usr/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/microsoft-edge']),
    );
  });

  it('CHROME_PATH comes first', async () => {
    // Any existing file stands in for the executable: findBrowser only locates, it does not start it.
    const stand = process.execPath;
    expect(await findBrowser({ CHROME_PATH: stand, LANYARD_BROWSER_SEARCH: 'system,npm' })).toEqual({
      executablePath: stand,
      source: 'CHROME_PATH',
    });
  });

  it('nothing found: browser_missing saying what to install or set', async () => {
    const nowhere = path.join(import.meta.dirname, 'no-such-chrome');
    await expect(findBrowser({ CHROME_PATH: nowhere, LANYARD_BROWSER_SEARCH: 'none' })).rejects.toMatchObject({
      code: 'browser_missing',
      message: expect.stringMatching(/Google Chrome.*CHROME_PATH.*no-such-chrome does not exist/s),
    });
    await expect(findBrowser({ LANYARD_BROWSER_SEARCH: 'none' })).rejects.toMatchObject({ code: 'browser_missing' });
  });

  it('a half-unpacked npm Chromium (a run killed while unpacking) is unpacked again, a whole one is kept', async () => {
    // Stands in for @sparticuz/chromium, which takes any existing temp-dir `chromium` as unpacked.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lanyard-unpack-'));
    let unpacks = 0;
    const npmPackage = {
      executablePath: async () => {
        const binary = path.join(tmp, 'chromium');
        if (!fs.existsSync(binary)) {
          unpacks++;
          fs.mkdirSync(path.join(tmp, 'fonts'), { recursive: true });
          fs.writeFileSync(binary, Buffer.alloc(4096, 1));
        }
        return binary;
      },
    };
    try {
      fs.writeFileSync(path.join(tmp, 'chromium'), ''); // what a killed unpacking left (found 2026-12-02)
      const binary = await unpackedWhole(npmPackage, tmp);
      expect([unpacks, fs.statSync(binary).size]).toEqual([1, 4096]);
      await unpackedWhole(npmPackage, tmp);
      expect(unpacks).toBe(1);
      fs.truncateSync(binary, 1000);
      expect(fs.statSync(await unpackedWhole(npmPackage, tmp)).size).toBe(4096);
      expect(unpacks).toBe(2);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
