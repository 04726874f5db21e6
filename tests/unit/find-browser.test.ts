import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBrowser, systemBrowserPaths } from '../../electron/core/badges/find-browser.ts';

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
});
