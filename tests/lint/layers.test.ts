import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The layer rules must actually catch a bad import — and must not flag a good one. */
const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, '../..') });

async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('layer rules (architecture.md §2)', () => {
  it.each([
    ['shared/bad.ts', `import fs from 'node:fs';\nexport const x = fs;\n`],
    ['shared/bad.ts', `import { app } from 'electron';\nexport const x = app;\n`],
    ['shared/bad.ts', `export const w = window.location;\n`],
    ['electron/core/bad.ts', `import { app } from 'electron';\nexport const x = app;\n`],
    [
      'renderer/src/bad.ts',
      `import { createKiosk } from '../../electron/core/kiosk.ts';\nexport const x = createKiosk;\n`,
    ],
    ['renderer/src/bad.ts', `import Database from 'better-sqlite3';\nexport const x = Database;\n`],
    ['renderer/src/bad.ts', `import fs from 'node:fs';\nexport const x = fs;\n`],
    ['server/bad.ts', `import { createKiosk } from '../electron/core/kiosk.ts';\nexport const x = createKiosk;\n`],
  ])('%s: forbidden import is an error (%#)', async (file, code) => {
    const rules = await ruleIdsFor(file, code);
    expect(rules.some((r) => r === 'no-restricted-imports' || r === 'no-restricted-globals')).toBe(true);
  });

  it.each([
    ['shared/good.ts', `import { z } from 'zod';\nexport const s = z.string();\n`],
    ['renderer/src/good.ts', `import { translate } from '../../shared/i18n/index.ts';\nexport const t = translate;\n`],
    ['electron/main/good.ts', `import { app } from 'electron';\nexport const a = app;\n`],
  ])('%s: allowed import passes', async (file, code) => {
    expect(await ruleIdsFor(file, code)).toEqual([]);
  });
});
