import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomInt,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { Database } from 'better-sqlite3';
import {
  certificateMessage,
  encodeCode,
  encodeUnsigned,
  parseCode,
  type CodePayload,
} from '../../../../shared/codes/payload.ts';
import { NO_CODE_DETAILS, type CodeCheck } from '../../../../shared/domain.ts';
import { LanyardFailure } from '../../../../shared/result.ts';
import type { ShortCodeService } from './short-codes.ts';
import type { SecretBox } from '../../secrets.ts';
import { openPrivateKey, sealPrivateKey, sealStoredKeys } from './key-seal.ts';

/**
 * Signing and verifying Lanyard badge codes (Ed25519, node:crypto). A kiosk verifies offline with the
 * public keys it holds; it never needs the roster to know a code is genuine.
 */
interface KeyRow {
  key_id: number;
  kind: 'event' | 'device';
  public_key: Buffer;
  private_key: Buffer;
  certificate: Buffer;
  status: 'active' | 'retired' | 'revoked';
}

const tagCache = new Map<string, Uint8Array>();
export function eventTag(eventId: string): Uint8Array {
  let tag = tagCache.get(eventId);
  if (tag === undefined) {
    tag = new Uint8Array(createHash('sha256').update(eventId).digest().subarray(0, 4));
    tagCache.set(eventId, tag);
  }
  return tag;
}

function rawPublicKey(key: KeyObject): Uint8Array {
  return new Uint8Array(Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url'));
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}

export interface IssueOptions {
  withDetails: { name: string; organization: string; forum: string } | null;
  validity: { notBefore: Date; notAfter: Date } | null;
  /** Sign with this kiosk's device key (walk-ins) instead of the event key. */
  deviceKey: boolean;
}

export class CodeService {
  private readonly db: Database;
  private readonly eventId: () => string;
  private readonly now: () => number;

  /** Format 2 codes and the event's code secret, when this service is part of a kiosk (the package carries both). */
  readonly short: ShortCodeService | null;

  /** Seals private keys at rest (key-seal.ts says why); null only in tests of the code format itself. */
  private readonly secrets: SecretBox | null;

  constructor(
    db: Database,
    eventId: () => string,
    now: () => number,
    short: ShortCodeService | null = null,
    secrets: SecretBox | null = null,
  ) {
    this.short = short;
    this.secrets = secrets;
    this.db = db;
    this.eventId = eventId;
    this.now = now;
  }

  /** Parsed public keys by key id; cleared whenever a key is added or changes status. */
  private readonly publicKeys = new Map<string, KeyObject>();

  private publicKey(raw: Uint8Array): KeyObject {
    const id = Buffer.from(raw).toString('hex');
    let key = this.publicKeys.get(id);
    if (key === undefined) {
      key = publicKeyFromRaw(raw);
      if (this.publicKeys.size > 1000) this.publicKeys.clear();
      this.publicKeys.set(id, key);
    }
    return key;
  }

  // Keys and revocations change rarely and only through this service; verifying happens at every scan.
  // Both are held in memory and reloaded after each change.
  private keyCache: Map<number, KeyRow> | null = null;
  private revokedCache: Set<string> | null = null;

  private invalidate(): void {
    this.keyCache = null;
    this.revokedCache = null;
  }

  private key(keyId: number): KeyRow | undefined {
    this.keyCache ??= new Map(
      (this.db.prepare(`SELECT * FROM signing_keys`).all() as KeyRow[]).map((k) => [k.key_id, k]),
    );
    return this.keyCache.get(keyId);
  }

  private freeKeyId(kind: 'event' | 'device'): number {
    // Event keys 1–32767, device keys 32768–65535, random so that independently set-up kiosks rarely
    // collide; the key id travels in every code, so a verifier picks the key without trying them all.
    for (;;) {
      const id = kind === 'event' ? randomInt(1, 32768) : randomInt(32768, 65536);
      if (this.key(id) === undefined) return id;
    }
  }

  private sealPrivateKey(der: Buffer): Buffer {
    return sealPrivateKey(this.secrets, der);
  }

  private privateKey(row: KeyRow): KeyObject {
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
  ensureKeys(): void {
    const count = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    const heldEvent = count(
      `SELECT count(*) AS n FROM signing_keys WHERE kind = 'event' AND status = 'active' AND length(private_key) > 0`,
    );
    const trustedOnly = count(
      `SELECT count(*) AS n FROM signing_keys WHERE kind = 'event' AND length(private_key) = 0`,
    );
    if (heldEvent === 0 && trustedOnly > 0) return; // signingKey() explains what is missing, if anything
    if (heldEvent === 0) this.rotateEventKey();
    if (!this.holdsDeviceKey()) this.newDeviceKey();
    this.short?.ensureSecret();
  }

  private holdsDeviceKey(): boolean {
    return (
      (
        this.db
          .prepare(
            `SELECT count(*) AS n FROM signing_keys WHERE kind = 'device' AND status = 'active' AND length(private_key) > 0`,
          )
          .get() as { n: number }
      ).n > 0
    );
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
        this.sealPrivateKey(pair.privateKey.export({ format: 'der', type: 'pkcs8' })),
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

  private signingKey(kind: 'event' | 'device'): KeyRow {
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

  issue(guestId: string, options: IssueOptions): { code: string; keyId: number } {
    this.ensureKeys();
    const key = this.signingKey(options.deviceKey ? 'device' : 'event');
    const payload: CodePayload = {
      keyId: key.key_id,
      eventTag: eventTag(this.eventId()),
      guestId,
      validity:
        options.validity === null
          ? null
          : {
              notBeforeMin: Math.floor(options.validity.notBefore.getTime() / 60000),
              notAfterMin: Math.ceil(options.validity.notAfter.getTime() / 60000),
            },
      name: options.withDetails?.name ?? null,
      organization: options.withDetails?.organization ?? null,
      forum: options.withDetails?.forum ?? null,
      deviceCert:
        key.kind === 'device'
          ? { publicKey: new Uint8Array(key.public_key), certificate: new Uint8Array(key.certificate) }
          : null,
    };
    const unsigned = encodeUnsigned(payload);
    const signature = sign(null, unsigned, this.privateKey(key));
    return { code: encodeCode(unsigned, new Uint8Array(signature)), keyId: key.key_id };
  }

  /** Whether the guest's Lanyard badge codes were revoked (a lost or stolen badge); every format honours it. */
  isRevoked(guestId: string): boolean {
    this.revokedCache ??= new Set(this.db.prepare(`SELECT guest_id FROM revoked_codes`).pluck().all() as string[]);
    return this.revokedCache.has(guestId);
  }

  /** Explains a code: genuine, and if not, why. Never throws on any input. */
  check(code: string): CodeCheck {
    const parsed = parseCode(code);
    if (!parsed.ok) return { valid: false, reason: 'malformed', detail: parsed.reason, ...NO_CODE_DETAILS };
    const p = parsed.payload;
    const info = {
      keyId: p.keyId,
      guestId: p.guestId,
      keyKind: p.deviceCert ? ('device' as const) : ('event' as const),
      name: p.name,
      organization: p.organization,
      forum: p.forum,
      notBefore: p.validity ? new Date(p.validity.notBeforeMin * 60000).toISOString() : null,
      notAfter: p.validity ? new Date(p.validity.notAfterMin * 60000).toISOString() : null,
    };
    const fail = (reason: CodeCheck['reason'], detail: string): CodeCheck => ({
      valid: false,
      reason,
      detail,
      ...info,
    });
    if (Buffer.compare(Buffer.from(p.eventTag), Buffer.from(eventTag(this.eventId()))) !== 0)
      return fail('wrong_event', 'the code is for another event');
    let publicKey: KeyObject;
    const known = this.key(p.keyId);
    if (p.deviceCert) {
      if (known?.status === 'revoked') return fail('revoked_key', `device key ${p.keyId} was revoked (a lost kiosk)`);
      const certified = (
        this.db.prepare(`SELECT * FROM signing_keys WHERE kind = 'event' AND status != 'revoked'`).all() as KeyRow[]
      ).some((ek) =>
        verify(
          null,
          certificateMessage(p.keyId, p.deviceCert!.publicKey),
          this.publicKey(ek.public_key),
          p.deviceCert!.certificate,
        ),
      );
      if (!certified) return fail('bad_certificate', `device key ${p.keyId} is not certified by a known event key`);
      publicKey = this.publicKey(p.deviceCert.publicKey);
    } else {
      if (known === undefined || known.kind !== 'event')
        return fail('unknown_key', `key ${p.keyId} is not known to this kiosk`);
      if (known.status === 'retired') return fail('retired_key', `key ${p.keyId} was retired`);
      if (known.status === 'revoked') return fail('revoked_key', `key ${p.keyId} was revoked`);
      publicKey = this.publicKey(known.public_key);
    }
    if (!verify(null, parsed.signed, publicKey, parsed.signature))
      return fail('bad_signature', 'the signature does not match: the code was altered or forged');
    if (this.isRevoked(p.guestId)) return fail('revoked_code', `the code of guest ${p.guestId} was revoked`);
    const nowMin = this.now() / 60000;
    if (p.validity && nowMin < p.validity.notBeforeMin) return fail('not_yet_valid', `valid from ${info.notBefore}`);
    if (p.validity && nowMin > p.validity.notAfterMin) return fail('expired', `valid until ${info.notAfter}`);
    return { valid: true, reason: 'ok', detail: '', ...info };
  }

  revokeCode(guestId: string, reason: string, actor: string): void {
    this.db
      .prepare(`INSERT OR REPLACE INTO revoked_codes (guest_id, reason, actor, wall_ms) VALUES (?, ?, ?, ?)`)
      .run(guestId, reason, actor, this.now());
    this.invalidate();
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
    this.ensureKeys();
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
      const certified = (
        this.db.prepare(`SELECT * FROM signing_keys WHERE kind = 'event' AND status = 'active'`).all() as KeyRow[]
      ).some((ek) =>
        verify(
          null,
          certificateMessage(key.keyId, publicKey),
          this.publicKey(ek.public_key),
          Buffer.from(key.certificate, 'hex'),
        ),
      );
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
          this.sealPrivateKey(privateKey.export({ format: 'der', type: 'pkcs8' })),
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
