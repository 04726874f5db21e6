import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Each layer's tsconfig gives it only its runtime's types: a file that uses another runtime's globals does
 * not compile. The check compiles one small file, placed in the layer's folder, with that layer's real
 * compiler options (tsconfig.json builds the layers with the same ones).
 */
const ROOT = path.resolve(import.meta.dirname, '../..');

function diagnosticsIn(layerDir: string, code: string): string[] {
  const configFile = path.join(ROOT, layerDir, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (parsed === undefined) throw new Error(`cannot read ${configFile}`);
  const file = path.join(ROOT, layerDir, '__layer_probe__.ts');
  const options = { ...parsed.options, noEmit: true, composite: false, declaration: false, emitDeclarationOnly: false };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    path.resolve(name) === file ? ts.createSourceFile(name, code, language) : getSourceFile(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === file || fileExists(name);
  // The layer's own ambient declarations (shared/runtime.d.ts) come along, as in the real build.
  const ambient = parsed.fileNames.filter((name) => name.endsWith('.d.ts'));
  const program = ts.createProgram({ rootNames: [file, ...ambient], options, host });
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('the compiler holds each layer to its runtime', () => {
  it.each([
    ['shared', `export const p = process.env;\n`, /Cannot find name 'process'/],
    ['shared', `export const b = Buffer.from('x');\n`, /Cannot find name 'Buffer'/],
    ['shared', `export const w = window.location;\n`, /Cannot find name 'window'/],
    ['shared', `import zlib from 'node:zlib';\nexport const z = zlib;\n`, /Cannot find module 'node:zlib'/],
    // qrcode's own types name Node's; the renderer still must not see them.
    [
      'renderer',
      `import QRCode from 'qrcode';\nexport const q = [QRCode, Buffer.from('x')];\n`,
      /Cannot find name 'Buffer'/,
    ],
    ['renderer', `export const p = process.env;\n`, /Cannot find name 'process'/],
    ['electron/core', `export const w = window.location;\n`, /Cannot find name 'window'/],
    ['electron/core', `export const d = document.title;\n`, /Cannot find name 'document'/],
    ['server', `export const d = document.title;\n`, /Cannot find name 'document'/],
  ])(
    '%s: %s does not compile',
    (layer, code, expected) => {
      expect(diagnosticsIn(layer, code).some((message) => expected.test(message))).toBe(true);
    },
    120_000,
  );

  it.each([
    ['shared', `export const bytes = new TextEncoder().encode('Grüße');\n`],
    ['renderer', `export const title = document.title;\n`],
    ['electron/core', `export const b = Buffer.from('x');\n`],
  ])(
    '%s: its own runtime compiles',
    (layer, code) => {
      expect(diagnosticsIn(layer, code)).toEqual([]);
    },
    120_000,
  );
});
