/**
 * `npm start`: runs the built app in Electron. Electron's npm package downloads its program in its own
 * install script; where that could not happen (no connection to the download site, or
 * ELECTRON_SKIP_BINARY_DOWNLOAD set), `electron .` would retry the download and end in a stack trace.
 * This says in one paragraph what happened and what to do instead — including that `npm run web` runs the
 * same kiosk in a browser right now.
 *
 *   node electron/cli/start-electron.ts --check   exit 1 with the paragraph if Electron's program is missing
 *   node electron/cli/start-electron.ts           start Electron on this folder, forwarding its exit code
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Where Electron's package put its program (the same rule as its index.js, without its download). */
export function electronExecutable(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const pkg = path.join(ROOT, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  const executable = override
    ? path.join(override, relative || 'electron')
    : relative
      ? path.join(pkg, 'dist', relative)
      : undefined;
  return executable !== undefined && fs.existsSync(executable) ? executable : undefined;
}

export const ELECTRON_MISSING = `Lanyard cannot start as a desktop app here: Electron's own program is not installed. \
npm installs it by downloading it from Electron's release site while it installs the \`electron\` package, \
and that download did not happen (no connection to that site, or ELECTRON_SKIP_BINARY_DOWNLOAD was set). \
To get it, where that site can be reached run \`npx install-electron\` (with ELECTRON_SKIP_BINARY_DOWNLOAD unset; \
ELECTRON_MIRROR can point at a mirror), then \`npm start\` again. \
Meanwhile the same kiosk runs in your browser: \`npm run web\` serves it at http://127.0.0.1:5180.`;

function main(args: string[]): void {
  const executable = electronExecutable();
  if (executable === undefined) {
    process.stderr.write(`\n${ELECTRON_MISSING}\n\n`);
    process.exitCode = 1;
    return;
  }
  if (args.includes('--check')) return;
  const child = spawn(executable, [ROOT], { stdio: 'inherit', windowsHide: false });
  child.on('close', (code, signal) => {
    if (code === null) process.stderr.write(`Electron exited with signal ${signal}\n`);
    process.exit(code ?? 1);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal));
  }
}

if (import.meta.main) main(process.argv.slice(2));
