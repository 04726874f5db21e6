import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Owner-only modes for the server's data directory: 0700 for folders, 0600 for files. PGlite writes its
 * cluster through Emscripten's NODEFS, which creates files 0666 whatever the umask, and the cluster holds
 * every guest's name and email; the directory's 0700 is what keeps other users out, the file modes are
 * belt and braces (a copied or re-permissioned directory). Symlinks are left alone, never followed.
 */
export function restrictTree(dir: string): void {
  const stat = lstatSync(dir, { throwIfNoEntry: false });
  if (stat === undefined || stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    if ((stat.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
    for (const name of readdirSync(dir)) restrictTree(join(dir, name));
  } else if (stat.isFile() && (stat.mode & 0o077) !== 0) {
    chmodSync(dir, 0o600);
  }
}
