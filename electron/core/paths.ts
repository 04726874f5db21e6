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

/**
 * The command line's secret key (seals the server token), kept outside every data directory so that a
 * copied data directory does not carry a usable token. LANYARD_SECRET_KEY_FILE overrides it.
 */
export function defaultSecretKeyFile(): string {
  const fromEnv = process.env['LANYARD_SECRET_KEY_FILE'];
  if (fromEnv !== undefined && fromEnv.length > 0) return path.resolve(fromEnv);
  const home = os.homedir();
  return path.join(process.env['XDG_CONFIG_HOME'] ?? path.join(home, '.config'), 'lanyard', 'secret.key');
}
