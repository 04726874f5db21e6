import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The repository explains itself: the requirement table names test files that exist, every requirement a
 * comment cites is in it, and the README's and docs' links to files in the repository resolve.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const REQUIREMENTS = 'docs/design/requirements.md';

/** Files under `dir` whose names end in one of `endings`, relative to the repository root. */
function filesUnder(dir: string, endings: string[]): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => endings.some((ending) => name.endsWith(ending)))
    .map((name) => path.join(dir, name));
}

describe('docs/design/requirements.md', () => {
  const table = read(REQUIREMENTS)
    .split('\n')
    .filter((line) => /^\| R\d+ /.test(line));

  it('has one row per requirement, R1 to R30 in order', () => {
    expect(table.map((line) => /^\| (R\d+) /.exec(line)![1])).toEqual(
      Array.from({ length: 30 }, (_, i) => `R${i + 1}`),
    );
  });

  it('names only test files that exist', () => {
    const named = table.flatMap((line) => [...line.matchAll(/`((?:tests|docs)\/[^`]+)`/g)].map((m) => m[1]!));
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((file) => !fs.existsSync(path.join(ROOT, file)))).toEqual([]);
  });

  it('holds every requirement a comment in the code cites', () => {
    const listed = new Set(table.map((line) => /^\| (R\d+) /.exec(line)![1]));
    const cited = new Map<string, string>();
    for (const dir of ['electron', 'server', 'shared', 'renderer']) {
      for (const file of filesUnder(dir, ['.ts', '.tsx'])) {
        for (const m of read(file).matchAll(/\bR(\d{1,3})\b/g)) cited.set(`R${m[1]}`, file);
      }
    }
    expect(cited.size).toBeGreaterThan(0);
    expect([...cited].filter(([id]) => !listed.has(id))).toEqual([]);
  });
});

describe('links between the documents', () => {
  it('every file of this repository the README and docs/ name exists (the picture of the scan path too)', () => {
    const documents = ['README.md', ...filesUnder('docs', ['.md'])];
    const missing: string[] = [];
    for (const doc of documents) {
      // Paths from the repository's root; a path inside another project's name (…/electron/preload.ts) is not one.
      for (const m of read(doc).matchAll(
        /(?<![\w/.-])((?:renderer|electron|server|shared|tests|tools)\/[\w./-]+\.(?:tsx?|js))(?![\w.])/g,
      )) {
        if (!fs.existsSync(path.join(ROOT, m[1]!))) missing.push(`${doc} → ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every relative link in README.md and docs/ points at a file that exists', () => {
    const documents = ['README.md', 'CHANGELOG.md', ...filesUnder('docs', ['.md'])];
    const broken: string[] = [];
    for (const doc of documents) {
      for (const m of read(doc).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (target === '' || /^[a-z]+:/i.test(target)) continue; // an anchor in the same page, or a URL
        if (!fs.existsSync(path.join(ROOT, path.dirname(doc), target))) broken.push(`${doc} → ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
