import { bytesToDigits, digitsToBytes } from './digits.ts';

/**
 * Lanyard badge code, format version 1 (docs/badge-codes.md). Binary layout, big-endian:
 *
 *   version u8 (=1) | keyId u16 | eventTag 4 bytes | flags u8 | guestId str8
 *   [notBefore u32, notAfter u32 — minutes since 1970, if flags & VALIDITY]
 *   [name str8 if flags & NAME] [organization str8 if flags & ORG] [forum str8 if flags & FORUM]
 *   [devicePublicKey 32 bytes, certificate 64 bytes — if flags & DEVICE_CERT]
 *   signature 64 bytes (Ed25519 over everything before it)
 *
 * str8 = length u8 + UTF-8 bytes (≤ 255). The signing is done by the caller (the core holds the keys);
 * this module only builds and parses bytes, so it is runtime-neutral and shared by signer and verifier.
 */
export const CODE_VERSION = 1;
export const SIGNATURE_BYTES = 64;
export const PUBLIC_KEY_BYTES = 32;

export const FLAGS = { VALIDITY: 1, NAME: 2, ORG: 4, FORUM: 8, DEVICE_CERT: 16 } as const;

export interface CodePayload {
  keyId: number;
  eventTag: Uint8Array; // 4 bytes
  guestId: string;
  validity: { notBeforeMin: number; notAfterMin: number } | null;
  name: string | null;
  organization: string | null;
  forum: string | null;
  /** A walk-in badge signed by a kiosk's device key carries the key and the event key's certificate. */
  deviceCert: { publicKey: Uint8Array; certificate: Uint8Array } | null;
}

export type ParseFailure = 'not_digits' | 'bad_length' | 'bad_version' | 'truncated' | 'trailing_bytes' | 'bad_text';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function str8(text: string): Uint8Array {
  const bytes = encoder.encode(text);
  if (bytes.length > 255) throw new Error(`code field longer than 255 bytes: ${text.slice(0, 40)}…`);
  return Uint8Array.of(bytes.length, ...bytes);
}

/** The bytes that get signed. */
export function encodeUnsigned(p: CodePayload): Uint8Array {
  const parts: number[] = [CODE_VERSION, (p.keyId >> 8) & 0xff, p.keyId & 0xff, ...p.eventTag];
  let flags = 0;
  if (p.validity) flags |= FLAGS.VALIDITY;
  if (p.name !== null) flags |= FLAGS.NAME;
  if (p.organization !== null) flags |= FLAGS.ORG;
  if (p.forum !== null) flags |= FLAGS.FORUM;
  if (p.deviceCert) flags |= FLAGS.DEVICE_CERT;
  parts.push(flags, ...str8(p.guestId));
  const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  if (p.validity) parts.push(...u32(p.validity.notBeforeMin), ...u32(p.validity.notAfterMin));
  if (p.name !== null) parts.push(...str8(p.name));
  if (p.organization !== null) parts.push(...str8(p.organization));
  if (p.forum !== null) parts.push(...str8(p.forum));
  if (p.deviceCert) parts.push(...p.deviceCert.publicKey, ...p.deviceCert.certificate);
  return Uint8Array.from(parts);
}

export function encodeCode(unsigned: Uint8Array, signature: Uint8Array): string {
  const all = new Uint8Array(unsigned.length + signature.length);
  all.set(unsigned);
  all.set(signature, unsigned.length);
  return bytesToDigits(all);
}

export type ParsedCode =
  { ok: true; payload: CodePayload; signed: Uint8Array; signature: Uint8Array } | { ok: false; reason: ParseFailure };

/** ASCII bytes are their own UTF-8 decoding (a guest id, most names): no decoder call for them. */
function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 0x7f) return false;
  return true;
}

export function parseCode(digits: string): ParsedCode {
  // digitsToBytes refuses any non-digit as it reads (every badge check decodes ~250 digits): the pattern
  // runs only on a refusal, to name its reason.
  const bytes = digits.length === 0 ? null : digitsToBytes(digits);
  if (bytes === null) return { ok: false, reason: /^\d+$/.test(digits) ? 'bad_length' : 'not_digits' };
  if (bytes[0] !== CODE_VERSION) return { ok: false, reason: 'bad_version' };
  let at = 1;
  const need = (n: number): boolean => at + n <= bytes.length - SIGNATURE_BYTES;
  const readStr = (): string | null => {
    if (!need(1)) return null;
    const len = bytes[at]!;
    if (!need(1 + len)) return null;
    const slice = bytes.subarray(at + 1, at + 1 + len);
    at += 1 + len;
    if (isAscii(slice)) return String.fromCharCode.apply(null, slice as unknown as number[]);
    try {
      return decoder.decode(slice);
    } catch {
      return null;
    }
  };
  if (!need(7)) return { ok: false, reason: 'truncated' };
  const keyId = (bytes[1]! << 8) | bytes[2]!;
  const eventTag = bytes.slice(3, 7);
  const flags = bytes[7]!;
  at = 8;
  const guestId = readStr();
  if (guestId === null) return { ok: false, reason: 'truncated' };
  let validity: CodePayload['validity'] = null;
  if (flags & FLAGS.VALIDITY) {
    if (!need(8)) return { ok: false, reason: 'truncated' };
    const u32 = (i: number) => ((bytes[i]! << 24) >>> 0) + (bytes[i + 1]! << 16) + (bytes[i + 2]! << 8) + bytes[i + 3]!;
    validity = { notBeforeMin: u32(at), notAfterMin: u32(at + 4) };
    at += 8;
  }
  const optional = (flag: number): string | null | 'bad' => {
    if (!(flags & flag)) return null;
    return readStr() ?? 'bad';
  };
  const name = optional(FLAGS.NAME);
  const organization = optional(FLAGS.ORG);
  const forum = optional(FLAGS.FORUM);
  if (name === 'bad' || organization === 'bad' || forum === 'bad') return { ok: false, reason: 'truncated' };
  let deviceCert: CodePayload['deviceCert'] = null;
  if (flags & FLAGS.DEVICE_CERT) {
    if (!need(PUBLIC_KEY_BYTES + SIGNATURE_BYTES)) return { ok: false, reason: 'truncated' };
    deviceCert = {
      publicKey: bytes.slice(at, at + PUBLIC_KEY_BYTES),
      certificate: bytes.slice(at + PUBLIC_KEY_BYTES, at + PUBLIC_KEY_BYTES + SIGNATURE_BYTES),
    };
    at += PUBLIC_KEY_BYTES + SIGNATURE_BYTES;
  }
  if (flags & ~0x1f) return { ok: false, reason: 'bad_version' };
  if (at !== bytes.length - SIGNATURE_BYTES)
    return { ok: false, reason: at < bytes.length - SIGNATURE_BYTES ? 'trailing_bytes' : 'truncated' };
  return {
    ok: true,
    payload: { keyId, eventTag, guestId, validity, name, organization, forum, deviceCert },
    signed: bytes.subarray(0, at),
    signature: bytes.subarray(at),
  };
}

/** The bytes an event key signs to certify a device key: a domain prefix, the key id and the public key. */
export function certificateMessage(keyId: number, publicKey: Uint8Array): Uint8Array {
  const prefix = encoder.encode('lanyard-device-key-v1');
  return Uint8Array.from([...prefix, (keyId >> 8) & 0xff, keyId & 0xff, ...publicKey]);
}

/** Lanyard codes are long (≥ 150 digits); ticket numbers and other systems' barcodes are much shorter. */
export function looksLikeLanyardCode(text: string): boolean {
  return text.length >= 150 && /^\d+$/.test(text);
}
