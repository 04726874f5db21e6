import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { LanyardFailure } from '../../../../shared/result.ts';
import type { SecretBox } from '../../secrets.ts';

/**
 * Private signing keys at rest (the attack: another user copied the database, took the plain DER
 * and issued a badge that scanned green). They are stored sealed with the kiosk's secret box — the OS
 * keychain in the app, a key file kept outside the data directory on the CLI — as `sealed:` + the box's
 * text, so a copied data directory alone holds no usable key. Keys an older Lanyard wrote plain are read as
 * they are and sealed by `sealStoredKeys` when the kiosk opens. A null box (tests of the code format
 * itself) stores plain DER.
 */
const SEALED_PREFIX = 'sealed:';

function isSealed(stored: Buffer): boolean {
  return stored.subarray(0, SEALED_PREFIX.length).toString('utf8') === SEALED_PREFIX;
}

export function sealPrivateKey(secrets: SecretBox | null, der: Buffer): Buffer {
  if (secrets === null) return der;
  return Buffer.from(`${SEALED_PREFIX}${secrets.seal(der.toString('base64'))}`, 'utf8');
}

export function openPrivateKey(secrets: SecretBox | null, stored: Buffer): KeyObject {
  let der = stored;
  if (isSealed(stored)) {
    if (secrets === null) throw new LanyardFailure('internal', 'a sealed signing key needs the secret box');
    try {
      der = Buffer.from(secrets.open(stored.subarray(SEALED_PREFIX.length).toString('utf8')), 'base64');
    } catch {
      throw new LanyardFailure(
        'internal',
        'this kiosk’s signing key was sealed on another machine or with a lost key; set the kiosk up again',
      );
    }
  }
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

/** Seals every private key stored plain; returns how many it sealed. Idempotent. */
export function sealStoredKeys(db: Database, secrets: SecretBox | null): number {
  if (secrets === null) return 0;
  const rows = db.prepare(`SELECT key_id, private_key FROM signing_keys WHERE length(private_key) > 0`).all() as {
    key_id: number;
    private_key: Buffer;
  }[];
  const update = db.prepare(`UPDATE signing_keys SET private_key = ? WHERE key_id = ?`);
  let sealed = 0;
  db.transaction(() => {
    for (const row of rows) {
      if (isSealed(row.private_key)) continue;
      update.run(sealPrivateKey(secrets, row.private_key), row.key_id);
      sealed++;
    }
  })();
  return sealed;
}
