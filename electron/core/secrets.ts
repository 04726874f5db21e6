import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Where the kiosk's secrets (the server device token) are sealed before they reach SQLite, so that the
 * data directory alone never reveals them (R20). The Electron shell seals with the OS keychain
 * (safeStorage); the command line with a key file kept outside the data directory.
 */
export interface SecretBox {
  /** For logs and status: 'os-keychain' or 'key-file'. */
  readonly kind: string;
  seal(plain: string): string;
  /** Throws when the secret cannot be opened (another machine, a lost key): the kiosk must re-pair. */
  open(sealed: string): string;
}

/** AES-256-GCM under `key`; the sealed text is `aes1:` + base64(iv ‖ tag ‖ ciphertext). */
export function aesSecretBox(key: Buffer, kind: string): SecretBox {
  if (key.length !== 32) throw new Error('a secret key is 32 bytes');
  return {
    kind,
    seal: (plain) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `aes1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open: (sealed) => {
      if (!sealed.startsWith('aes1:')) throw new Error('not a sealed secret');
      const raw = Buffer.from(sealed.slice(5), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/** The command line's box: a random key in `keyFile` (created owner-only on first use). */
export function keyFileSecretBox(keyFile: string): SecretBox {
  if (!fs.existsSync(keyFile)) createKeyFile(keyFile);
  return aesSecretBox(Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64'), 'key-file');
}

/**
 * A new key written beside `keyFile`, then linked into place: the name appears with its whole key or not
 * at all, and whoever loses the race (several `lanyard` commands starting at once on a fresh machine)
 * reads the winner's key. Created in place with 'wx', the loser crashed on EEXIST or read an empty file
 * ("a secret key is 32 bytes") — a `lanyard serve` in a clean CI did.
 */
function createKeyFile(keyFile: string): void {
  fs.mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
  const scratch = `${keyFile}.${randomBytes(8).toString('hex')}.new`;
  fs.writeFileSync(scratch, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(scratch, keyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(scratch, { force: true });
  }
}
