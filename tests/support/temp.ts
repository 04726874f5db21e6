import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Every directory this test file made; tests/support/temp-cleanup.ts removes what is left after the file. */
const made = new Set<string>();

/** A fresh temporary directory, removed by the returned cleanup (or after the test file, whichever is first). */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lanyard-${prefix}-`));
  made.add(dir);
  return {
    dir,
    cleanup: () => {
      fs.rmSync(dir, { recursive: true, force: true });
      made.delete(dir);
    },
  };
}

/** Removes every directory made by tempDir that its test did not clean up; returns how many. */
export function removeTempDirs(): number {
  const count = made.size;
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  made.clear();
  return count;
}
