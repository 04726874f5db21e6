import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDir } from '../support/temp.ts';

/**
 * The copy-paste gate of `npm run lint` must fire. jscpd runs as its CLI, as `npm run lint:clones` runs it:
 * a child process, so this lives in integration (the import-cycle gate is tested in tests/lint/gates.test.ts).
 */
const ROOT = path.resolve(import.meta.dirname, '../..');

describe('lint gates', () => {
  it('a block of 6+ lines written twice fails the gate with the repo settings (.jscpd.json)', () => {
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
    expect(run.status).toBe(1); // the gate fails npm run lint
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'jscpd-report.json'), 'utf8')) as {
      duplicates: { firstFile: { name: string }; secondFile: { name: string } }[];
    };
    expect(report.duplicates.length).toBe(1);
  }, 60_000);
});
