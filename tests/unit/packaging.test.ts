import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** electron-builder cannot run here (it downloads Electron), so its config is checked against its own schema. */
describe('electron-builder.yml', () => {
  const config = parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

  const schema = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);

  it('the schema check can fail: a misspelt key is rejected', () => {
    expect(validate({ ...config, asarUnpak: ['x'] })).toBe(false);
  });

  it('is valid against app-builder-lib/scheme.json', () => {
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('packages the built renderer and shell that package.json starts', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist-electron/main.cjs');
    expect(config['files']).toEqual(expect.arrayContaining(['dist/renderer/**', 'dist-electron/**']));
    expect(fs.existsSync(path.join(root, 'build/entitlements.mac.plist'))).toBe(true);
  });

  it('keeps the packaged app locked down (fuses)', () => {
    expect(config['electronFuses']).toMatchObject({ runAsNode: false, enableNodeCliInspectArguments: false });
  });
});

/** `npm test` builds before Vitest runs, so the bundles checked here are the ones that would be packaged. */
describe('the bundled staging worker (big imports)', () => {
  const dist = path.join(root, 'dist-electron');

  it('is built beside main.cjs, which finds it from its own file URL (CommonJS has no import.meta)', () => {
    expect(fs.existsSync(path.join(dist, 'staging-worker.cjs'))).toBe(true);
    const main = fs.readFileSync(path.join(dist, 'main.cjs'), 'utf8');
    expect(main).toContain('"./staging-worker.cjs"');
    expect(main).not.toMatch(/\{\}\.url/); // what an un-polyfilled import.meta.url compiles to
  });

  it('runs as a worker thread and stages rows into its file', async () => {
    const { Worker } = await import('node:worker_threads');
    const { default: Database } = await import('better-sqlite3');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lanyard-bundle-')), 'staging.db');
    const worker = new Worker(path.join(dist, 'staging-worker.cjs'), {
      workerData: { path: file, schema: 'CREATE TABLE t (a TEXT NOT NULL, b INTEGER NOT NULL) STRICT;' },
    });
    const finished = new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    worker.postMessage({ kind: 'rows', table: 't', columns: ['a', 'b'], values: ['张', 1, 'Ä', 2, 'x', 3] });
    worker.postMessage({ kind: 'finish' });
    expect(await finished).toEqual({ kind: 'finished', rows: 3 });
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT a, b FROM t ORDER BY b').all()).toEqual([
      { a: '张', b: 1 },
      { a: 'Ä', b: 2 },
      { a: 'x', b: 3 },
    ]);
    db.close();
  });
});
