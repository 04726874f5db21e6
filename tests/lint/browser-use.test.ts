import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every test that starts a browser goes through tests/support/browser.ts (CHROME_PATH, else the npm
 * Chromium) or findBrowser() (which the tests limit to the npm Chromium): no test names a system binary,
 * launches Chromium by itself or runs a system tool (ffmpeg, pdftoppm, zbarimg, apt-get).
 */
const TESTS = path.resolve(import.meta.dirname, '..');
const HELPER = path.join(TESTS, 'support', 'browser.ts');
const LOCATOR_TEST = path.join(TESTS, 'unit', 'find-browser.test.ts');
const UNIT_GUARD_TEST = path.join(TESTS, 'unit', 'unit-no-io.test.ts');

function testSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testSources(full);
    return entry.name.endsWith('.ts') && full !== HELPER && full !== import.meta.filename ? [full] : [];
  });
}

describe('browsers and tools in tests come from npm', () => {
  it('no test launches Chromium itself, names a system browser or runs a system tool', () => {
    const offences = testSources(TESTS).flatMap((file) => {
      const source = fs.readFileSync(file, 'utf8');
      return (
        [
          /launchPersistentContext\(/,
          /chromium\.launch\((?![^)]*findBrowser)/,
          /\/usr\/bin\/(chromium|google-chrome)/,
          /['"](ffmpeg|pdftoppm|zbarimg|apt-get)['"]/,
        ]
          // The locator's own test lists the standard install paths; it never starts them. The unit tier's
          // guard test calls chromium.launch to prove the launch is refused before any process starts.
          .filter((pattern) => pattern.test(source) && !(file === LOCATOR_TEST && pattern.source.includes('usr')))
          .filter((pattern) => !(file === UNIT_GUARD_TEST && pattern.source.startsWith('chromium')))
          .map((pattern) => `${path.relative(TESTS, file)}: ${pattern.source}`)
      );
    });
    expect(offences).toEqual([]);
  });
});
