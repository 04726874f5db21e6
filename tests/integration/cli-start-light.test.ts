import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANYARD_CLI } from '../support/hub.ts';
import { tempDir } from '../support/temp.ts';

const HOOK = path.resolve(import.meta.dirname, '../support/packages-loaded.mjs');
// Each costs 0.1–0.4 s of CPU to load (seconds on a busy laptop) and serves one command only: badges
// (playwright-core, pdf-lib), reading a workbook (exceljs), the hub's server (fastify, PGlite, pg).
const HEAVY = ['playwright-core', 'pdf-lib', 'exceljs', 'fastify', '@electric-sql/pglite', 'pg'];

function packagesLoaded(args: string[]): string[] {
  const run = spawnSync(process.execPath, ['--import', HOOK, LANYARD_CLI, ...args], { encoding: 'utf8' });
  const line = /^packages-loaded: (.*)$/m.exec(run.stderr);
  if (run.status !== 0 || !line) throw new Error(`lanyard ${args.join(' ')}: ${run.status}\n${run.stderr}`);
  return line[1]!.split(' ').filter(Boolean);
}

describe('a lanyard command loads only what it uses', () => {
  it('--help, init and a door command load none of the heavy packages (they load on first use)', () => {
    const data = tempDir('cli-light');
    try {
      const help = packagesLoaded(['--help']);
      const init = packagesLoaded(['init', '--demo', '--data', data.dir, '--json']);
      const search = packagesLoaded(['search', 'wang', '--data', data.dir, '--json']);
      expect(search).toContain('better-sqlite3'); // the hook sees packages at all
      for (const loaded of [help, init, search]) expect(loaded.filter((p) => HEAVY.includes(p))).toEqual([]);
    } finally {
      data.cleanup();
    }
  });
});
