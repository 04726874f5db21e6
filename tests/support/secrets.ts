import { randomBytes } from 'node:crypto';
import { aesSecretBox } from '../../electron/core/secrets.ts';

/** The tests' secret box: the real AES-GCM sealing with a key that lives only in this process. */
export const testSecrets = aesSecretBox(randomBytes(32), 'test-key');
