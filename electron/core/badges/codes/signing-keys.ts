import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomInt,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { certificateMessage } from '../../../../shared/codes/payload.ts';
import { LanyardFailure } from '../../../../shared/result.ts';
import type { SecretBox } from '../../secrets.ts';
import { publicKeyFromRaw, rawPublicKey } from './ed25519.ts';
import { openPrivateKey, sealPrivateKey, sealStoredKeys } from './key-seal.ts';

/**
 * The kiosk's Ed25519 signing keys (table signing_keys): the event key, device keys it certifies, keys
 * trusted from other kiosks, and their status. CodeService signs and verifies badge codes with them.
 */
export interface KeyRow {
  key_id: number;
  kind: 'event' | 'device';
  public_key: Buffer;
  private_key: Buffer;
  certificate: Buffer;
  status: 'active' | 'retired' | 'revoked';
}

export class SigningKeys {
  private readonly db: Database;
  private readonly now: () => number;
  /** Seals private keys at rest (key-seal.ts says why); null only in tests of the code format itself. */
  private readonly secrets: SecretBox | null;
  /** Called after every change to the keys, so the code service drops what it cached alongside. */
  private readonly onChange: () => void;

  constructor(db: Database, now: () => number, secrets: SecretBox | null, onChange: () => void) {
    this.db = db;
    this.now = now;
    this.secrets = secrets;
    this.onChange = onChange;
  }

  /** Parsed public keys by key id; cleared whenever a key is added or changes status. */
  private readonly publicKeys = new Map<string, KeyObject>();

  publicKey(raw: Uint8Array): KeyObject {
    const id = Buffer.from(raw).toString('hex');
    let key = this.publicKeys.get(id);
    if (key === undefined) {
      key = publicKeyFromRaw(raw);
      if (this.publicKeys.size > 1000) this.publicKeys.clear();
      this.publicKeys.set(id, key);
    }
    return key;
  }

  // Keys change rarely and only through this class; verifying happens at every scan.
  // They are held in memory and reloaded after each change.
  private keyCache: Map<number, KeyRow> | null = null;

  invalidate(): void {
    this.keyCache = null;
    this.onChange();
  }

  key(keyId: number): KeyRow | undefined {
    this.keyCache ??= new Map(
      (this.db.prepare(`SELECT * FROM signing_keys`).all() as KeyRow[]).map((k) => [k.key_id, k]),
    );
    return this.keyCache.get(keyId);
  }

  /** Whether an event key (not revoked; or only active ones) certified this device key. */
  certifies(
    keyId: number,
    publicKey: Uint8Array,
    certificate: Uint8Array,
    eventKeyStatus: 'not revoked' | 'active',
  ): boolean {
    const where = eventKeyStatus === 'active' ? `status = 'active'` : `status != 'revoked'`;
    return (this.db.prepare(`SELECT * FROM signing_keys WHERE kind = 'event' AND ${where}`).all() as KeyRow[]).some(
      (ek) => verify(null, certificateMessage(keyId, publicKey), this.publicKey(ek.public_key), certificate),
    );
  }

  private freeKeyId(kind: 'event' | 'device'): number {
    // Event keys 1–32767, device keys 32768–65535, random so that independently set-up kiosks rarely
    // collide; the key id travels in every code, so a verifier picks the key without trying them all.
    for (;;) {
      const id = kind === 'event' ? randomInt(1, 32768) : randomInt(32768, 65536);
      if (this.key(id) === undefined) return id;
    }
  }

  privateKey(row: KeyRow): KeyObject {
    return openPrivateKey(this.secrets, row.private_key);
  }

  /** Seals private keys an older Lanyard stored plain; idempotent, run when the kiosk opens. */
  sealStoredKeys(): number {
    const sealed = sealStoredKeys(this.db, this.secrets);
    if (sealed > 0) this.invalidate();
    return sealed;
  }

  /**
   * Creates an event key (and a device key it certifies) if this kiosk has none; idempotent. A kiosk that
   * trusts an event key it does not hold (set up from another kiosk's file) never makes an event key of
   * its own: badges signed by it would verify nowhere else. It signs with the device key it was given.
   */
  ensure(): void {
    const count = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    const heldEvent = count(
      `SELECT count(*) AS n FROM signing_keys WHERE kind = 'event' AND status = 'active' AND length(private_key) > 0`,
    );
    const trustedOnly = count(
      `SELECT count(*) AS n FROM signing_keys WHERE kind = 'event' AND length(private_key) = 0`,
    );
    if (heldEvent === 0 && trustedOnly > 0) return; // signingKey() explains what is missing, if anything
    if (heldEvent === 0) this.rotateEventKey();
    const heldDevice = `SELECT count(*) AS n FROM signing_keys WHERE kind = 'device' AND status = 'active' AND length(private_key) > 0`;
    if (count(heldDevice) === 0) this.newDeviceKey();
  }

  private insertKey(
    kind: 'event' | 'device',
    certificate: Uint8Array,
    keyId: number,
    pair: { publicKey: KeyObject; privateKey: KeyObject },
  ): number {
    this.db
      .prepare(
        `INSERT INTO signing_keys (key_id, kind, public_key, private_key, certificate, status, created_ms) VALUES (?, ?, ?, ?, ?, 'active', ?)`,
      )
      .run(
        keyId,
        kind,
        Buffer.from(rawPublicKey(pair.publicKey)),
        sealPrivateKey(this.secrets, pair.privateKey.export({ format: 'der', type: 'pkcs8' })),
        Buffer.from(certificate),
        this.now(),
      );
    this.invalidate();
    return keyId;
  }

  /** A new event signing key; older event keys keep verifying their badges until retired. */
  rotateEventKey(): number {
    return this.insertKey('event', new Uint8Array(0), this.freeKeyId('event'), generateKeyPairSync('ed25519'));
  }

  private newDeviceKey(): number {
    const signer = this.signingKey('event');
    const pair = generateKeyPairSync('ed25519');
    const keyId = this.freeKeyId('device');
    const cert = sign(null, certificateMessage(keyId, rawPublicKey(pair.publicKey)), this.privateKey(signer));
    return this.insertKey('device', cert, keyId, pair);
  }

  signingKey(kind: 'event' | 'device'): KeyRow {
    const pick = (k: string) =>
      this.db
        .prepare(
          `SELECT * FROM signing_keys WHERE kind = ? AND status = 'active' AND length(private_key) > 0 ORDER BY created_ms DESC, key_id DESC LIMIT 1`,
        )
        .get(k) as KeyRow | undefined;
    // A kiosk set up from another's file holds no event key: its device key (certified by the event key)
    // signs every badge it prints, and every door verifies those from the code alone.
    const row = pick(kind) ?? (kind === 'event' ? pick('device') : undefined);
    if (row === undefined)
      throw new LanyardFailure('no_signing_key', `this kiosk holds no active ${kind} key of this event`);
    return row;
  }

  /** Retire (old badges stop working) or revoke (a lost kiosk's device key) a key by id. */
  setKeyStatus(keyId: number, status: 'retired' | 'revoked'): void {
    try {
      const existing = this.key(keyId);
      if (existing === undefined) {
        if (status === 'retired') throw new LanyardFailure('invalid_input', `no key ${keyId}`);
        // A device key this kiosk never saw can still be revoked: its badges carry it.
        this.db
          .prepare(
            `INSERT INTO signing_keys (key_id, kind, public_key, private_key, certificate, status, created_ms) VALUES (?, 'device', x'', x'', x'', 'revoked', ?)`,
          )
          .run(keyId, this.now());
        return;
      }
      this.db.prepare(`UPDATE signing_keys SET status = ? WHERE key_id = ?`).run(status, keyId);
    } finally {
      this.invalidate(); // after the change, so the next read sees it
    }
  }

  /** Trusts another kiosk's (or the organiser's) event public key, so its badges verify here. */
  trustEventKey(keyId: number, publicKeyHex: string): void {
    try {
      if (!/^[0-9a-f]{64}$/.test(publicKeyHex))
        throw new LanyardFailure('invalid_input', 'a public key is 64 hex digits');
      const existing = this.key(keyId);
      if (existing !== undefined && existing.public_key.toString('hex') !== publicKeyHex) {
        throw new LanyardFailure('invalid_input', `key id ${keyId} is already in use here for another key`);
      }
      if (existing === undefined) {
        this.db
          .prepare(
            `INSERT INTO signing_keys (key_id, kind, public_key, private_key, certificate, status, created_ms) VALUES (?, 'event', ?, x'', x'', 'active', ?)`,
          )
          .run(keyId, Buffer.from(publicKeyHex, 'hex'), this.now());
      }
    } finally {
      this.invalidate(); // after the change, so the next read sees it
    }
  }

  /**
   * A new device key for another kiosk (the hand-off file), certified by this kiosk's event key. Its public
   * half stays here, so this kiosk lists it, can revoke it, and passes it on in packages; the private half
   * is returned once, to be sealed into the file, and is never stored here.
   */
  certifyDeviceKeyForHandoff(): { keyId: number; publicKey: string; privateKey: string; certificate: string } {
    this.ensure();
    const signer = this.db
      .prepare(
        `SELECT * FROM signing_keys WHERE kind = 'event' AND status = 'active' AND length(private_key) > 0 ORDER BY created_ms DESC, key_id DESC LIMIT 1`,
      )
      .get() as KeyRow | undefined;
    if (signer === undefined) {
      throw new LanyardFailure(
        'no_signing_key',
        'only the kiosk that holds the event key can give another kiosk a signing key; export from that kiosk',
      );
    }
    const pair = generateKeyPairSync('ed25519');
    const keyId = this.freeKeyId('device');
    const publicKey = rawPublicKey(pair.publicKey);
    const certificate = sign(null, certificateMessage(keyId, publicKey), this.privateKey(signer));
    this.db
      .prepare(
        `INSERT INTO signing_keys (key_id, kind, public_key, private_key, certificate, status, created_ms) VALUES (?, 'device', ?, x'', ?, 'active', ?)`,
      )
      .run(keyId, Buffer.from(publicKey), certificate, this.now());
    this.invalidate();
    return {
      keyId,
      publicKey: Buffer.from(publicKey).toString('hex'),
      privateKey: pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('hex'),
      certificate: certificate.toString('hex'),
    };
  }

  /** Installs the device key another kiosk made for this one, after checking its certificate and halves. */
  installDeviceKey(key: { keyId: number; publicKey: string; privateKey: string; certificate: string }): void {
    try {
      const publicKey = Buffer.from(key.publicKey, 'hex');
      const privateKey = createPrivateKey({ key: Buffer.from(key.privateKey, 'hex'), format: 'der', type: 'pkcs8' });
      if (!Buffer.from(rawPublicKey(createPublicKey(privateKey))).equals(publicKey))
        throw new LanyardFailure('not_a_setup_file', 'the sealed device key does not match its public key');
      const certified = this.certifies(key.keyId, publicKey, Buffer.from(key.certificate, 'hex'), 'active');
      if (!certified)
        throw new LanyardFailure('not_a_setup_file', `device key ${key.keyId} is not certified by the event's key`);
      const existing = this.key(key.keyId);
      if (existing !== undefined && !existing.public_key.equals(publicKey))
        throw new LanyardFailure('not_a_setup_file', `key id ${key.keyId} is already in use here for another key`);
      this.db
        .prepare(
          `INSERT INTO signing_keys (key_id, kind, public_key, private_key, certificate, status, created_ms) VALUES (?, 'device', ?, ?, ?, 'active', ?)
           ON CONFLICT (key_id) DO UPDATE SET private_key = excluded.private_key, certificate = excluded.certificate`,
        )
        .run(
          key.keyId,
          publicKey,
          sealPrivateKey(this.secrets, privateKey.export({ format: 'der', type: 'pkcs8' })),
          Buffer.from(key.certificate, 'hex'),
          this.now(),
        );
    } finally {
      this.invalidate();
    }
  }

  listKeys(): Array<{ keyId: number; kind: string; status: string; hasPrivateKey: boolean; publicKey: string }> {
    return (this.db.prepare(`SELECT * FROM signing_keys ORDER BY key_id`).all() as KeyRow[]).map((k) => ({
      keyId: k.key_id,
      kind: k.kind,
      status: k.status,
      hasPrivateKey: k.private_key.length > 0,
      publicKey: k.public_key.toString('hex'),
    }));
  }
}
