import fs from 'node:fs';
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

  it('packs what the venue hub’s organisers’ page reads: its files in dist-electron/ and the fonts’ packages', () => {
    // The build copies the page's files beside the hub worker in dist-electron/ (tests/e2e/hub-worker-bundle
    // .test.ts serves them and the fonts from the built bundle); electron-builder packs production
    // dependencies, where the fonts must be.
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(config['files']).toContain('dist-electron/**');
    for (const name of ['@fontsource/noto-sans', '@fontsource/noto-sans-sc', '@fontsource/noto-sans-kr'])
      expect(pkg.dependencies).toHaveProperty(name);
  });

  it('keeps the packaged app locked down (fuses)', () => {
    expect(config['electronFuses']).toMatchObject({ runAsNode: false, enableNodeCliInspectArguments: false });
  });
});
