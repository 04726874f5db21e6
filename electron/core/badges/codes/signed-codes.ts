import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { encodeCode, encodeUnsigned, parseCode, type CodePayload } from '../../../../shared/codes/payload.ts';
import { NO_CODE_DETAILS, type CodeCheck } from '../../../../shared/domain.ts';
import type { ShortCodeService } from './short-codes.ts';
import type { SecretBox } from '../../secrets.ts';
import { SigningKeys, type KeyRow } from './signing-keys.ts';

/**
 * Signing and verifying Lanyard badge codes (Ed25519, node:crypto). A kiosk verifies offline with the
 * public keys it holds; it never needs the roster to know a code is genuine.
 */

const tagCache = new Map<string, Uint8Array>();
export function eventTag(eventId: string): Uint8Array {
  let tag = tagCache.get(eventId);
  if (tag === undefined) {
    tag = new Uint8Array(createHash('sha256').update(eventId).digest().subarray(0, 4));
    tagCache.set(eventId, tag);
  }
  return tag;
}

/** Byte-wise equality without a Buffer per side (every signed badge's event tag is compared). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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

  constructor(
    db: Database,
    eventId: () => string,
    now: () => number,
    short: ShortCodeService | null = null,
    secrets: SecretBox | null = null,
  ) {
    this.short = short;
    this.db = db;
    this.eventId = eventId;
    this.now = now;
    // secrets seal private keys at rest (key-seal.ts says why); null only in tests of the code format itself.
    this.keys = new SigningKeys(db, now, secrets, () => this.invalidate());
  }

  /** The kiosk's signing keys; a change to them also drops the revocation cache (as it always has). */
  private readonly keys: SigningKeys;
  /** Parsed event public keys by key row (a row lives until the keys change): no hex id made per check. */
  private readonly eventPublicKeys = new WeakMap<KeyRow, KeyObject>();

  // Revocations change rarely and only through this service; verifying happens at every scan.
  // They are held in memory and reloaded after each change.
  private revokedCache: Set<string> | null = null;

  private invalidate(): void {
    this.revokedCache = null;
  }

  /** Seals private keys an older Lanyard stored plain; idempotent, run when the kiosk opens. */
  sealStoredKeys(): number {
    return this.keys.sealStoredKeys();
  }

  /**
   * Creates an event key (and a device key it certifies) if this kiosk has none, and the event's code
   * secret; idempotent (SigningKeys.ensure says when a kiosk makes no event key of its own).
   */
  ensureKeys(): void {
    this.keys.ensure();
    this.short?.ensureSecret();
  }

  /** A new event signing key; older event keys keep verifying their badges until retired. */
  rotateEventKey(): number {
    return this.keys.rotateEventKey();
  }

  issue(guestId: string, options: IssueOptions): { code: string; keyId: number } {
    this.ensureKeys();
    const key = this.keys.signingKey(options.deviceKey ? 'device' : 'event');
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
    const signature = sign(null, unsigned, this.keys.privateKey(key));
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
    if (!sameBytes(p.eventTag, eventTag(this.eventId()))) return fail('wrong_event', 'the code is for another event');
    let publicKey: KeyObject;
    const known = this.keys.key(p.keyId);
    if (p.deviceCert) {
      if (known?.status === 'revoked') return fail('revoked_key', `device key ${p.keyId} was revoked (a lost kiosk)`);
      const certified = this.keys.certifies(p.keyId, p.deviceCert.publicKey, p.deviceCert.certificate, 'not revoked');
      if (!certified) return fail('bad_certificate', `device key ${p.keyId} is not certified by a known event key`);
      publicKey = this.keys.publicKey(p.deviceCert.publicKey);
    } else {
      if (known === undefined || known.kind !== 'event')
        return fail('unknown_key', `key ${p.keyId} is not known to this kiosk`);
      if (known.status === 'retired') return fail('retired_key', `key ${p.keyId} was retired`);
      if (known.status === 'revoked') return fail('revoked_key', `key ${p.keyId} was revoked`);
      publicKey = this.eventPublicKeys.get(known) ?? this.keys.publicKey(known.public_key);
      this.eventPublicKeys.set(known, publicKey);
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
    this.keys.setKeyStatus(keyId, status);
  }

  /** Trusts another kiosk's (or the organiser's) event public key, so its badges verify here. */
  trustEventKey(keyId: number, publicKeyHex: string): void {
    this.keys.trustEventKey(keyId, publicKeyHex);
  }

  /** A new device key for another kiosk (the hand-off file), certified by this kiosk's event key. */
  certifyDeviceKeyForHandoff(): { keyId: number; publicKey: string; privateKey: string; certificate: string } {
    this.ensureKeys();
    return this.keys.certifyDeviceKeyForHandoff();
  }

  /** Installs the device key another kiosk made for this one, after checking its certificate and halves. */
  installDeviceKey(key: { keyId: number; publicKey: string; privateKey: string; certificate: string }): void {
    this.keys.installDeviceKey(key);
  }

  listKeys(): Array<{ keyId: number; kind: string; status: string; hasPrivateKey: boolean; publicKey: string }> {
    return this.keys.listKeys();
  }
}
