import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The organisers' page's fonts: the very Noto Sans and Noto Sans SC the kiosk screen bundles
 * (@fontsource, production dependencies), so Chinese names show on a laptop with no CJK system font
 * instead of empty boxes. Their own stylesheets are served as one, with each file's URL pointing at
 * the server; the faces are split by unicode-range, so a browser fetches only the subsets its text uses.
 */
export const FONT_PACKAGES = ['noto-sans', 'noto-sans-sc', 'noto-sans-kr'] as const;
/** What the page uses: body text, and its bold (a 600 falls on the 700 face). */
const WEIGHTS = [400, 700] as const;
export const FONT_ROUTE_PREFIX = '/admin/fonts';

export interface PageFont {
  type: 'font/woff2' | 'font/woff';
  data: Buffer;
}

export interface PageFonts {
  /** The @font-face rules of both families, their URLs under FONT_ROUTE_PREFIX. */
  stylesheet: string;
  /** A file the stylesheet names, or null for anything else (no path is ever built from the request). */
  read(fontPackage: string, file: string): Promise<PageFont | null>;
}

export function loadPageFonts(moduleUrl: string = import.meta.url): PageFonts {
  // Resolved like an import from here: node_modules beside the repository or beside the Electron bundle
  // (inside the packaged app's asar archive, which Electron's fs reads).
  const resolvePackage = createRequire(moduleUrl);
  /** `${package}/${file}` → its absolute path: exactly the files the stylesheets name. */
  const files = new Map<string, string>();
  const rules: string[] = [];
  for (const fontPackage of FONT_PACKAGES) {
    const manifest = resolvePackage.resolve(`@fontsource/${fontPackage}/package.json`);
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    const filesDir = path.join(path.dirname(manifest), 'files');
    for (const weight of WEIGHTS) {
      const css = readFileSync(path.join(path.dirname(manifest), `${weight}.css`), 'utf8');
      // The version in the URL: the files are cached for a year, and a newer package gets new URLs.
      rules.push(
        css.replace(/url\(\.\/files\/([A-Za-z0-9_.-]+\.woff2?)\)/g, (_whole, file: string) => {
          files.set(`${fontPackage}/${file}`, path.join(filesDir, file));
          return `url(${FONT_ROUTE_PREFIX}/${fontPackage}/${file}?v=${version})`;
        }),
      );
    }
  }
  return {
    stylesheet: rules.join('\n'),
    async read(fontPackage, file) {
      const found = files.get(`${fontPackage}/${file}`);
      if (found === undefined) return null;
      return { type: file.endsWith('.woff2') ? 'font/woff2' : 'font/woff', data: await readFile(found) };
    },
  };
}
