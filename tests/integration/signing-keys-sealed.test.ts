import { createPrivateKey, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../electron/core/dispatch.ts';
import { createKiosk } from '../../electron/core/kiosk.ts';
import { aesSecretBox } from '../../electron/core/secrets.ts';
import { tempDir } from '../support/temp.ts';

/**
 * Issue 13, finding 6: another OS user copied the data directory, took the event signing key (plain DER in
 * `signing_keys.private_key`) and issued a code for "Mallory Forged" that the real kiosk scanned green.
 * Private keys are now sealed with the kiosk's secret box, which does not travel with the data directory.
 */
const ownerBox = aesSecretBox(randomBytes(32), 'owner-key-file');

function privateKeys(file: string): Buffer[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return db.prepare(`SELECT private_key FROM signing_keys WHERE length(private_key) > 0`).pluck().all() as Buffer[];
  } finally {
    db.close();
  }
}

describe('finding 6: signing keys at rest', () => {
  it('finding 6: the database copied by another user holds no usable signing key', () => {
    const dir = tempDir('sealed-keys').dir;
    const kiosk = createKiosk({ dataDir: dir, now: Date.now, secrets: ownerBox });
    const call = createDispatcher(kiosk.ownerHandlers);
    expect(call('event.loadDemo', {}).ok).toBe(true);
    expect(call('codes.issue', { guestId: 'g0001', deviceKey: false }).ok).toBe(true); // the owner still signs
    kiosk.close();

    const stolen = path.join(tempDir('stolen').dir, 'copy.sqlite');
    fs.copyFileSync(path.join(dir, 'lanyard.sqlite'), stolen);
    const keys = privateKeys(stolen);
    expect(keys.length).toBeGreaterThanOrEqual(2); // event key and device key
    for (const key of keys) {
      expect(() => createPrivateKey({ key, format: 'der', type: 'pkcs8' })).toThrow();
    }

    // The copy opened as a kiosk with the attacker's own key file cannot sign a badge for Mallory.
    const copyDir = path.dirname(stolen);
    fs.renameSync(stolen, path.join(copyDir, 'lanyard.sqlite'));
    const rogue = createKiosk({ dataDir: copyDir, now: Date.now, secrets: aesSecretBox(randomBytes(32), 'attacker') });
    const rogueCall = createDispatcher(rogue.ownerHandlers);
    const walkIn = rogueCall('guests.walkIn', { name: 'Mallory Forged', organization: '', email: '', role: 'guest' });
    const mallory = walkIn.ok ? (walkIn.value as { guest: { id: string } }).guest.id : 'g0002';
    const forged = rogueCall('codes.issue', { guestId: mallory, deviceKey: false });
    expect(forged.ok).toBe(false);
    rogue.close();
  });

  it('keys an older Lanyard stored plain are sealed when the kiosk opens, and still sign', () => {
    const dir = tempDir('plain-keys').dir;
    const first = createKiosk({ dataDir: dir, now: Date.now, secrets: ownerBox });
    expect(createDispatcher(first.ownerHandlers)('event.loadDemo', {}).ok).toBe(true);
    const db = first.db!;
    // What an older Lanyard left: the plain PKCS#8 DER.
    for (const row of db
      .prepare(`SELECT key_id, private_key FROM signing_keys WHERE length(private_key) > 0`)
      .all() as {
      key_id: number;
      private_key: Buffer;
    }[]) {
      const raw = Buffer.from(ownerBox.open(row.private_key.subarray(7).toString('utf8')), 'base64');
      db.prepare(`UPDATE signing_keys SET private_key = ? WHERE key_id = ?`).run(raw, row.key_id);
    }
    first.close();
    for (const key of privateKeys(path.join(dir, 'lanyard.sqlite')))
      expect(() => createPrivateKey({ key, format: 'der', type: 'pkcs8' })).not.toThrow();

    const reopened = createKiosk({ dataDir: dir, now: Date.now, secrets: ownerBox });
    const issued = createDispatcher(reopened.ownerHandlers)('codes.issue', { guestId: 'g0001', deviceKey: true });
    expect(issued.ok).toBe(true);
    reopened.close();
    for (const key of privateKeys(path.join(dir, 'lanyard.sqlite')))
      expect(key.subarray(0, 7).toString('utf8')).toBe('sealed:');
  });
});
