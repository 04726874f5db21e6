import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { importCycles } from '../../tools/lint-cycles.ts';
import { tempDir } from '../support/temp.ts';

/** The gates `npm run lint` adds to ESLint must fire: an import cycle, a copy-pasted block. */
const ROOT = path.resolve(import.meta.dirname, '../..');

describe('lint gates', () => {
  it('an import cycle is found, type-only imports included', async () => {
    const { dir, cleanup } = tempDir('cycles');
    onTestFinished(cleanup);
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src/a.ts'), `import { b } from './b.ts';\nexport const a = () => b;\n`);
    fs.writeFileSync(path.join(dir, 'src/b.ts'), `import type { c } from './c.ts';\nexport const b: c = 1;\n`);
    fs.writeFileSync(
      path.join(dir, 'src/c.ts'),
      `import { a } from './a.ts';\nexport type c = ReturnType<typeof a>;\n`,
    );
    fs.writeFileSync(path.join(dir, 'src/d.ts'), `import { a } from './a.ts';\nexport const d = a;\n`);
    expect(await importCycles(dir, ['src'])).toEqual(['src/a.ts > src/b.ts > src/c.ts']);
  }, 60_000);

  it('a block of 6+ lines written twice is found with the repo settings (.jscpd.json)', () => {
    const { dir, cleanup } = tempDir('clones');
    onTestFinished(cleanup);
    const block = Array.from(
      { length: 8 },
      (_, i) => `  const value${i} = input.filter((x) => x.kind === 'k${i}').map((x) => x.size * ${i + 2});`,
    ).join('\n');
    for (const name of ['one', 'two']) {
      fs.writeFileSync(path.join(dir, `${name}.ts`), `export function ${name}(input: Item[]) {\n${block}\n}\n`);
    }
    const settings = JSON.parse(fs.readFileSync(path.join(ROOT, '.jscpd.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(
      path.join(dir, '.jscpd.json'),
      JSON.stringify({ ...settings, path: [dir], reporters: ['json'], output: dir }),
    );
    const run = spawnSync(path.join(ROOT, 'node_modules/.bin/jscpd'), ['--config', path.join(dir, '.jscpd.json')], {
      encoding: 'utf8',
    });
    expect(run.error).toBeUndefined();
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'jscpd-report.json'), 'utf8')) as {
      duplicates: { firstFile: { name: string }; secondFile: { name: string } }[];
    };
    expect(report.duplicates.length).toBe(1);
  }, 60_000);
});
