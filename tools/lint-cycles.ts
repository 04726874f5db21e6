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
const KNOWN: string[] = [];

/** Every import cycle among the .ts/.tsx files below `folders` of `root`, as chains of repo paths. */
export async function importCycles(root: string, folders: string[]): Promise<string[]> {
  const madge = createRequire(import.meta.url)('madge') as Madge;
  const result = await madge(
    folders.map((folder) => path.join(root, folder)),
    { baseDir: root, fileExtensions: ['ts', 'tsx'], excludeRegExp: [/node_modules/, /\.d\.ts$/] },
  );
  return result.circular().map((chain) => chain.join(' > '));
}

if (import.meta.main) {
  const found = await importCycles(ROOT, FOLDERS);
  const fresh = found.filter((chain) => !KNOWN.includes(chain));
  const gone = KNOWN.filter((chain) => !found.includes(chain));
  for (const chain of fresh) console.error(`import cycle: ${chain}`);
  for (const chain of gone) console.error(`tools/lint-cycles.ts lists a cycle that is gone; remove it: ${chain}`);
  if (fresh.length > 0 || gone.length > 0) process.exit(1);
  console.log(found.length === 0 ? 'no import cycles' : `no new import cycles (${found.length} known, being removed)`);
}
