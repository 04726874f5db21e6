import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { importCycles } from '../../tools/lint-cycles.ts';
import { tempDir } from '../support/temp.ts';

/**
 * The gates `npm run lint` adds to ESLint must fire: an import cycle here (madge, in process), a copy-pasted
 * block in tests/integration/lint-clones.test.ts (jscpd runs as its CLI, a child process: not a unit test).
 */
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
});
