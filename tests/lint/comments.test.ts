import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * Comments in the product's code say why, in words a clone can follow: an issue number points at a tracker
 * outside the repository, so `comments/no-issue-numbers` (tools/eslint-comments.js) refuses it, while a
 * requirement id of docs/design/requirements.md passes.
 */
const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, '../..') });

async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('comments cite no issue numbers', () => {
  it.each([
    ['shared/bad.ts', `// Cleaned here (issue 13, finding 1).\nexport const x = 1;\n`],
    ['electron/core/bad.ts', `/** The conflicts screen (Issue 6). */\nexport const x = 1;\n`],
    ['server/bad.ts', `export const x = 1; // see issue #17\n`],
    ['renderer/src/bad.tsx', `/* issues 11 */\nexport const x = 1;\n`],
  ])('%s: %j is refused', async (file, code) => {
    expect(await ruleIdsFor(file, code)).toContain('comments/no-issue-numbers');
  });

  it.each([
    ['shared/good.ts', `// Both check-ins are kept; the earliest is the arrival (R11).\nexport const x = 1;\n`],
    ['electron/core/good.ts', `// The issue is the clock: a kiosk's may run behind.\nexport const x = 1;\n`],
    ['tests/good.test.ts', `// A regression test for issue 13, finding 4.\nexport const x = 1;\n`],
  ])('%s: %j passes', async (file, code) => {
    expect(await ruleIdsFor(file, code)).not.toContain('comments/no-issue-numbers');
  });
});
