import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules must actually catch a bad import — and must not flag a good one. Each layer imports only
 * what its allow-list in eslint.config.js names (`layers/imports`); the globals of another runtime are
 * refused too (`no-restricted-globals`), as the compiler refuses them (tsc-layers.test.ts).
 */
const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, '../..') });

async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('layer rules (architecture.md §2)', () => {
  it.each([
    // shared/ is runtime-neutral: no Node built-in, with or without the node: prefix, no runtime library.
    ['shared/bad.ts', `import fs from 'node:fs';\nexport const x = fs;\n`],
    ['shared/bad.ts', `import zlib from 'zlib';\nexport const x = zlib;\n`],
    ['shared/bad.ts', `import { EventEmitter } from 'events';\nexport const x = EventEmitter;\n`],
    ['shared/bad.ts', `import { app } from 'electron';\nexport const x = app;\n`],
    ['shared/bad.ts', `import Database from 'better-sqlite3';\nexport const x = Database;\n`],
    ['shared/bad.ts', `import { buildServer } from '../server/app.ts';\nexport const x = buildServer;\n`],
    ['shared/bad.ts', `export const w = window.location;\n`],
    ['shared/bad.ts', `export const p = process.env;\n`],
    // The core never reaches into a host, the shell, the renderer or the server.
    ['electron/core/bad.ts', `import { app } from 'electron';\nexport const x = app;\n`],
    ['electron/core/bad.ts', `import { buildServer } from '../../server/app.ts';\nexport const x = buildServer;\n`],
    // Only the server's entry is open to the core (the venue hub); its stores and routes are not.
    [
      'electron/core/hub/bad.ts',
      `import { migrate } from '../../../server/store/migrations.ts';\nexport const x = migrate;\n`,
    ],
    ['electron/host/bad.ts', `import { startServer } from '../../server/start.ts';\nexport const x = startServer;\n`],
    ['electron/core/bad.ts', `import * as http from '../host/http.ts';\nexport const x = http;\n`],
    ['electron/core/bad.ts', `import type { LanyardShell } from '../main/window.ts';\nexport type X = LanyardShell;\n`],
    ['electron/core/badges/bad.ts', `export const x = () => import('../../../renderer/src/store.ts');\n`],
    ['electron/core/bad.ts', `import Fastify from 'fastify';\nexport const x = Fastify;\n`],
    ['electron/core/bad.ts', `export const w = window.location;\n`],
    ['electron/core/bad.ts', `export const d = document.title;\n`],
    // The renderer talks to the core through the API client only, and has no Node.
    [
      'renderer/src/bad.ts',
      `import { createKiosk } from '../../electron/core/kiosk.ts';\nexport const x = createKiosk;\n`,
    ],
    ['renderer/src/bad.ts', `import Database from 'better-sqlite3';\nexport const x = Database;\n`],
    ['renderer/src/bad.ts', `import fs from 'node:fs';\nexport const x = fs;\n`],
    ['renderer/src/bad.ts', `export const b = Buffer.from('x');\n`],
    ['renderer/src/bad.ts', `export const p = process.env.HOME;\n`],
    // The server imports shared/ only, never electron/.
    ['server/bad.ts', `import { createKiosk } from '../electron/core/kiosk.ts';\nexport const x = createKiosk;\n`],
    ['server/bad.ts', `export const d = document.title;\n`],
    // A host is handed the handler table; the preload is a sandboxed page.
    ['electron/host/bad.ts', `import { app } from 'electron';\nexport const x = app;\n`],
    ['electron/preload/bad.ts', `import fs from 'node:fs';\nexport const x = fs;\n`],
    // Unclassified: a package no layer lists, a file in no layer, a folder that is no layer.
    ['shared/bad.ts', `import leftPad from 'left-pad';\nexport const x = leftPad;\n`],
    ['electron/core/bad.ts', `import x from '../../docs/notes.ts';\nexport const y = x;\n`],
    ['scripts/bad.ts', `export const x = 1;\n`],
    ['tests/unit/bad.test.ts', `import leftPad from 'left-pad';\nexport const x = leftPad;\n`],
  ])('%s: forbidden import is an error (%#)', async (file, code) => {
    const rules = await ruleIdsFor(file, code);
    expect(rules.some((r) => r === 'layers/imports' || r === 'no-restricted-globals')).toBe(true);
  });

  it.each([
    ['shared/good.ts', `import { z } from 'zod';\nexport const s = z.string();\n`],
    ['shared/sync/good.ts', `import { ok } from '../result.ts';\nexport const r = ok;\n`],
    ['renderer/src/good.ts', `import { translate } from '../../shared/i18n/index.ts';\nexport const t = translate;\n`],
    ['renderer/src/good.ts', `import { createRoot } from 'react-dom/client';\nexport const r = createRoot;\n`],
    [
      'electron/core/good.ts',
      `import fs from 'node:fs';\nimport Database from 'better-sqlite3';\nexport const x = [fs, Database];\n`,
    ],
    ['electron/core/good.ts', `import { ok } from '../../shared/result.ts';\nexport const r = ok;\n`],
    // The venue hub runs the same server through its one entry, loaded when the hub starts.
    ['electron/core/hub/good.ts', `export const start = () => import('../../../server/start.ts');\n`],
    ['server/good.ts', `import { startServer } from './start.ts';\nexport const s = startServer;\n`],
    ['electron/main/good.ts', `import { app } from 'electron';\nexport const a = app;\n`],
    ['electron/cli/good.ts', `import { createKiosk } from '../core/kiosk.ts';\nexport const k = createKiosk;\n`],
    [
      'server/good.ts',
      `import Fastify from 'fastify';\nimport { ok } from '../shared/result.ts';\nexport const x = [Fastify, ok];\n`,
    ],
    ['tests/unit/good.test.ts', `import { buildServer } from '../../server/app.ts';\nexport const s = buildServer;\n`],
  ])('%s: allowed import passes (%#)', async (file, code) => {
    expect(await ruleIdsFor(file, code)).toEqual([]);
  });
});
