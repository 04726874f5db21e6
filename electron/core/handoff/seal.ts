import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import type { SealedSecrets } from '../../../shared/handoff/setup-file.ts';
import { LanyardFailure } from '../../../shared/result.ts';

/**
 * Passphrase sealing for the set-up file: scrypt (N = 2^15, r = 8, p = 1: ~100 ms and 32 MiB per guess on
 * a laptop, so a stolen USB stick costs an attacker real work per passphrase tried) derives an AES-256-GCM
 * key. The caller's associated data (a digest of the file's plain part) is authenticated with it.
 */
const N = 2 ** 15;
const R = 8;
const P = 1;

function deriveKey(passphrase: string, salt: Buffer, n: number, r: number, p: number): Buffer {
  // maxmem must cover 128·N·r bytes, plus scrypt's own headroom.
  return scryptSync(passphrase.normalize('NFC'), salt, 32, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 });
}

export function sealWithPassphrase(plain: string, passphrase: string, associated: string): SealedSecrets {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(passphrase, salt, N, R, P), iv);
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return {
    kdf: 'scrypt',
    n: N,
    r: R,
    p: P,
    salt: salt.toString('base64'),
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    data: body.toString('base64'),
  };
}

/** Throws bad_passphrase for a wrong passphrase (or a sealed part that was altered or moved). */
export function openWithPassphrase(sealed: SealedSecrets, passphrase: string, associated: string): string {
  const key = deriveKey(passphrase, Buffer.from(sealed.salt, 'base64'), sealed.n, sealed.r, sealed.p);
  const body = Buffer.from(sealed.data, 'base64');
  if (body.length < 17) throw new LanyardFailure('not_a_setup_file', 'the sealed part of the file is cut short');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(associated, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw new LanyardFailure(
      'bad_passphrase',
      'the passphrase does not open this set-up file (or the file was changed after it was written)',
    );
  }
}
