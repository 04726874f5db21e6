import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LanyardFailure } from '../../../shared/result.ts';
import { createLogger } from '../log.ts';

const log = createLogger('find-browser');

/**
 * Which Chromium renders badge PDFs outside Electron (the CLI, `lanyard serve`, the tests), in this order:
 *   1. CHROME_PATH, when set;
 *   2. the standard Chrome / Chromium / Edge install locations of Windows, macOS and Linux;
 *   3. the Chromium inside the npm package `@sparticuz/chromium` (a devDependency: present after a plain
 *      `npm install` from a clone, absent from a production install — the code copes with both).
 * LANYARD_BROWSER_SEARCH limits steps 2 and 3: a comma list of `system` and `npm` (default both), or `none`
 * for CHROME_PATH only. The tests set it to `npm` so that a browser the machine happens to have is never
 * what they measure.
 */
export type BrowserSource = 'CHROME_PATH' | 'system' | 'npm';

export interface FoundBrowser {
  executablePath: string;
  source: BrowserSource;
}

type Env = Record<string, string | undefined>;

export function systemBrowserPaths(platform: NodeJS.Platform = process.platform, env: Env = process.env): string[] {
  if (platform === 'win32') {
    const roots = [env['PROGRAMFILES'], env['PROGRAMFILES(X86)'], env['LOCALAPPDATA']].filter((r): r is string => !!r);
    return roots.flatMap((root) => [
      path.win32.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      path.win32.join(root, 'Chromium', 'Application', 'chrome.exe'),
      path.win32.join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
    ]);
  }
  if (platform === 'darwin') {
    const apps = [
      'Google Chrome.app/Contents/MacOS/Google Chrome',
      'Chromium.app/Contents/MacOS/Chromium',
      'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
    const home = env['HOME'];
    return [
      ...apps.map((a) => `/Applications/${a}`),
      ...(home ? apps.map((a) => path.posix.join(home, 'Applications', a)) : []),
    ];
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
    '/usr/bin/microsoft-edge',
    '/usr/bin/microsoft-edge-stable',
    '/snap/bin/chromium',
  ];
}

function searchedPlaces(env: Env): Set<string> {
  const wanted = (env['LANYARD_BROWSER_SEARCH'] ?? 'system,npm').split(',').map((s) => s.trim());
  return new Set(wanted.filter((s) => s === 'system' || s === 'npm'));
}

export async function findBrowser(env: Env = process.env): Promise<FoundBrowser> {
  const fromEnv = env['CHROME_PATH'];
  if (fromEnv) {
    if (fs.existsSync(fromEnv)) return { executablePath: fromEnv, source: 'CHROME_PATH' };
    log.warn('CHROME_PATH does not exist; looking elsewhere', { chromePath: fromEnv });
  }
  const places = searchedPlaces(env);
  if (places.has('system')) {
    const found = systemBrowserPaths(process.platform, env).find((p) => fs.existsSync(p));
    if (found !== undefined) return { executablePath: found, source: 'system' };
  }
  if (places.has('npm')) {
    const bundled = await npmChromiumPath();
    if (bundled !== undefined) return { executablePath: bundled, source: 'npm' };
  }
  throw new LanyardFailure(
    'browser_missing',
    'no Chrome, Chromium or Edge found to render the PDF: install Google Chrome (or Chromium or Edge), ' +
      'or set CHROME_PATH to a Chromium executable; from a clone, `npm install` also brings one ' +
      `(@sparticuz/chromium, Linux x64)${fromEnv ? `; CHROME_PATH=${fromEnv} does not exist` : ''}` +
      (places.size < 2 ? `; LANYARD_BROWSER_SEARCH=${env['LANYARD_BROWSER_SEARCH'] ?? ''} limits the search` : ''),
  );
}

/**
 * The npm Chromium, unpacked on first use (~15 s) by the package into the temp dir, where every later call
 * finds it. The package checks only that the file exists, so two processes unpacking at once could hand out
 * a half-written binary: a lock directory serialises the unpacking across processes.
 */
export async function npmChromiumPath(): Promise<string | undefined> {
  // Its binary is Linux x64 only.
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  let Chromium: { executablePath(): Promise<string> };
  try {
    Chromium = (await import('@sparticuz/chromium')).default;
  } catch {
    return undefined; // a production install without devDependencies
  }
  return withUnpackLock(() => unpackedWhole(Chromium));
}

/** What the package unpacks into the temp dir (swiftshader's libraries land in it directly). */
const UNPACKED = ['chromium', 'fonts', 'al2023', 'libEGL.so', 'libGLESv2.so', 'libvk_swiftshader.so', 'libvulkan.so.1'];
const UNPACKED_ALSO = ['vk_swiftshader_icd.json'];
/** Written once an unpacking has finished: the binary's size then. */
const UNPACKED_MARK = 'lanyard-chromium-unpacked.json';

/**
 * The package takes an existing temp-dir `chromium` as unpacked, so a process killed while unpacking (a
 * test run stopped, the CLI closed) left a truncated binary — an empty file, here — that every later
 * launch ran and lost: the browser "closed" at once, for every test and every PDF, until someone deleted
 * it by hand. We mark a finished unpacking, and unpack again over anything without the mark.
 */
export async function unpackedWhole(
  Chromium: { executablePath(): Promise<string> },
  tmp: string = os.tmpdir(),
): Promise<string> {
  const binary = path.join(tmp, 'chromium');
  const mark = path.join(tmp, UNPACKED_MARK);
  if (fs.existsSync(binary) && !markedWhole(binary, mark)) {
    log.warn('the unpacked npm Chromium is incomplete or unmarked; unpacking it again', { binary });
    for (const name of [...UNPACKED, ...UNPACKED_ALSO])
      fs.rmSync(path.join(tmp, name), { recursive: true, force: true });
  }
  if (!fs.existsSync(binary)) fs.rmSync(mark, { force: true });
  const unpacked = await Chromium.executablePath();
  if (!markedWhole(unpacked, mark)) fs.writeFileSync(mark, JSON.stringify({ size: fs.statSync(unpacked).size }));
  return unpacked;
}

function markedWhole(binary: string, markFile: string): boolean {
  try {
    const mark = JSON.parse(fs.readFileSync(markFile, 'utf8')) as { size?: unknown };
    const size = fs.statSync(binary).size;
    return size > 0 && mark.size === size;
  } catch {
    return false;
  }
}

const LOCK = path.join(os.tmpdir(), 'lanyard-chromium-unpack.lock');
const STALE_LOCK_MS = 180_000;

async function withUnpackLock<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        // Left behind by a process killed while unpacking.
        if (Date.now() - fs.statSync(LOCK).mtimeMs > STALE_LOCK_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // removed meanwhile by its owner
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
