// `npm run lint`: no import cycles anywhere in the repo (type-only imports included: a cycle of types still
// ties two modules so that neither can be read, moved or tested alone). madge resolves the imports as
// written (with their .ts extensions); a cycle prints as the chain of files and fails the run.
import { createRequire } from 'node:module';
import path from 'node:path';

interface MadgeResult {
  circular(): string[][];
  warnings(): { skipped: string[] };
}
type Madge = (paths: string[], config: Record<string, unknown>) => Promise<MadgeResult>;

const ROOT = path.resolve(import.meta.dirname, '..');
const FOLDERS = ['shared', 'electron', 'renderer', 'server', 'tests', 'tools'];

/**
 * Cycles that are known and being taken apart; each entry is the chain madge prints, joined by " > ".
 * A cycle not listed fails; a listed one that is gone fails too, so the list only shrinks.
 */
const KNOWN: string[] = ['electron/core/guests/store.ts > electron/core/guests/staging.ts'];

const madge = createRequire(import.meta.url)('madge') as Madge;
const result = await madge(
  FOLDERS.map((folder) => path.join(ROOT, folder)),
  { baseDir: ROOT, fileExtensions: ['ts', 'tsx'], excludeRegExp: [/node_modules/, /\.d\.ts$/] },
);
const found = result.circular().map((chain) => chain.join(' > '));
const fresh = found.filter((chain) => !KNOWN.includes(chain));
const gone = KNOWN.filter((chain) => !found.includes(chain));
for (const chain of fresh) console.error(`import cycle: ${chain}`);
for (const chain of gone) console.error(`tools/lint-cycles.ts lists a cycle that is gone; remove it: ${chain}`);
if (fresh.length > 0 || gone.length > 0) process.exit(1);
console.log(`no import cycles (${found.length} known, being removed)`);
