import path from 'node:path';
import { app, safeStorage } from 'electron';
import { keyFileSecretBox, type SecretBox } from '../core/secrets.ts';

/**
 * The app seals the server token with the OS keychain (DPAPI, Keychain, libsecret/kwallet) through
 * safeStorage. Where Linux offers only its plain-text fallback ('basic_text'), a key file in userData
 * (outside the kiosk's data directory) is used instead, and the log says so.
 */
export function appSecretBox(log: (message: string) => void): SecretBox {
  const linuxPlain = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  if (!safeStorage.isEncryptionAvailable() || linuxPlain) {
    log('no OS keychain available: sealing secrets with a key file in userData');
    return keyFileSecretBox(path.join(app.getPath('userData'), 'secret.key'));
  }
  return {
    kind: 'os-keychain',
    seal: (plain) => `os1:${safeStorage.encryptString(plain).toString('base64')}`,
    open: (sealed) => {
      if (!sealed.startsWith('os1:')) throw new Error('not sealed by the OS keychain');
      return safeStorage.decryptString(Buffer.from(sealed.slice(4), 'base64'));
    },
  };
}
