import os from 'node:os';
import path from 'node:path';

/** Where a kiosk keeps its database when no `--data DIR` is given (the Electron app uses userData). */
export function defaultDataDir(): string {
  const fromEnv = process.env['LANYARD_DATA'];
  if (fromEnv !== undefined && fromEnv.length > 0) return path.resolve(fromEnv);
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Lanyard');
  if (process.platform === 'win32')
    return path.join(process.env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), 'Lanyard');
  return path.join(process.env['XDG_DATA_HOME'] ?? path.join(home, '.local', 'share'), 'lanyard');
}

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, 'lanyard.sqlite');
}
