/**
 * Lanyard short badge codes, format 2 (docs/badge-codes.md): digits only, at most 36 characters, so a
 * keyboard-wedge scanner at 10 ms per key delivers one in ≤ 0.4 s and a QR code stays in numeric mode.
 *
 *   roster badge   8 1 GG TTTTTTTTTTTTTTTTTTTT                 24 digits
 *   walk-in badge  8 2 GG DDDDDDD SSSSS TTTTTTTTTTTTTTTTTTTT   36 digits
 *
 * `8` marks the family, the next digit the kind, GG the generation of the event's code secret that made
 * the tag, D the issuing kiosk's walk-in number, S its walk-in serial and T a 20-digit tag: an
 * HMAC-SHA-256 under that secret (computed in the core; this module is runtime-neutral and only lays out
 * digits). Old signed codes are ≥ 150 digits and imported codes (pretix secrets, Eventbrite barcodes,
 * ticket numbers) have other lengths or characters, so the lengths alone keep the families apart; an
 * imported code that happens to look like one is still found by exact roster lookup first.
 */
export const SHORT_FAMILY = '8';
export const SHORT_KIND = { roster: '1', walkIn: '2' } as const;
export const TAG_DIGITS = 20;
export const DEVICE_DIGITS = 7;
export const SERIAL_DIGITS = 5;
export const ROSTER_CODE_LENGTH = 2 + 2 + TAG_DIGITS; // 24
export const WALK_IN_CODE_LENGTH = 2 + 2 + DEVICE_DIGITS + SERIAL_DIGITS + TAG_DIGITS; // 36
export const MAX_GENERATION = 99;
export const MAX_SERIAL = 10 ** SERIAL_DIGITS - 1;
export const MAX_DEVICE_NUMBER = 10 ** DEVICE_DIGITS - 1;

export type ShortCode =
  | { kind: 'roster'; generation: number; tag: string }
  | { kind: 'walk_in'; generation: number; device: number; serial: number; tag: string };

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function checkGeneration(generation: number): void {
  if (!Number.isInteger(generation) || generation < 1 || generation > MAX_GENERATION)
    throw new Error(`a code generation is 1–${MAX_GENERATION}, not ${generation}`);
}

/** The 20-digit tag from the first 12 bytes of a MAC (96 bits reduced mod 10^20: ≈ 66.4 bits, bias < 2⁻²⁹). */
export function tagDigits(mac: Uint8Array): string {
  if (mac.length < 12) throw new Error('a tag needs 12 bytes of MAC');
  let value = 0n;
  for (let i = 0; i < 12; i++) value = (value << 8n) | BigInt(mac[i]!);
  return (value % 10n ** BigInt(TAG_DIGITS)).toString().padStart(TAG_DIGITS, '0');
}

export function formatRosterCode(generation: number, tag: string): string {
  checkGeneration(generation);
  return SHORT_FAMILY + SHORT_KIND.roster + pad(generation, 2) + tag;
}

export function formatWalkInCode(generation: number, device: number, serial: number, tag: string): string {
  checkGeneration(generation);
  if (!Number.isInteger(device) || device < 0 || device > MAX_DEVICE_NUMBER) throw new Error('bad device number');
  if (!Number.isInteger(serial) || serial < 1 || serial > MAX_SERIAL) throw new Error('bad walk-in serial');
  return (
    SHORT_FAMILY +
    SHORT_KIND.walkIn +
    pad(generation, 2) +
    pad(device, DEVICE_DIGITS) +
    pad(serial, SERIAL_DIGITS) +
    tag
  );
}

/** Null for anything that is not laid out as a short code (the tag is checked by the core). */
export function parseShortCode(text: string): ShortCode | null {
  if (!/^\d+$/.test(text) || text[0] !== SHORT_FAMILY) return null;
  const generation = Number(text.slice(2, 4));
  if (generation < 1) return null;
  if (text.length === ROSTER_CODE_LENGTH && text[1] === SHORT_KIND.roster)
    return { kind: 'roster', generation, tag: text.slice(4) };
  if (text.length === WALK_IN_CODE_LENGTH && text[1] === SHORT_KIND.walkIn) {
    const device = Number(text.slice(4, 4 + DEVICE_DIGITS));
    const serial = Number(text.slice(4 + DEVICE_DIGITS, 4 + DEVICE_DIGITS + SERIAL_DIGITS));
    if (serial < 1) return null;
    return { kind: 'walk_in', generation, device, serial, tag: text.slice(4 + DEVICE_DIGITS + SERIAL_DIGITS) };
  }
  return null;
}

const encoder = new TextEncoder();

/** What the roster tag authenticates: the event and the guest's id, under a domain prefix. */
export function rosterMessage(eventTagHex: string, guestId: string): Uint8Array {
  return encoder.encode(`lanyard-code-v2\u0000roster\u0000${eventTagHex}\u0000${guestId}`);
}

/** What the walk-in tag authenticates: the event, the issuing kiosk's number and its serial. */
export function walkInMessage(eventTagHex: string, device: number, serial: number): Uint8Array {
  return encoder.encode(
    `lanyard-code-v2\u0000walk-in\u0000${eventTagHex}\u0000${pad(device, DEVICE_DIGITS)}\u0000${pad(serial, SERIAL_DIGITS)}`,
  );
}

/** The guest id a walk-in badge names, the same on every kiosk, so a badge admitted before sync is one guest. */
export function walkInGuestId(device: number, serial: number): string {
  return `w_${pad(device, DEVICE_DIGITS)}_${pad(serial, SERIAL_DIGITS)}`;
}

/** Keystroke time for a code at a given wedge speed (one key per character plus the Enter suffix). */
export function wedgeMs(digits: number, msPerKey: number): number {
  return (digits + 1) * msPerKey;
}
