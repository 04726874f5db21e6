/**
 * Bytes ↔ decimal digits, so a badge code is digits only: a keyboard-wedge scanner types digits the same
 * on German, French, UK and US layouts and under a Chinese IME, and a QR code of digits uses numeric
 * mode (3⅓ bits per digit). Every 5 bytes (40 bits, exact in a double) become 13 digits; a last partial
 * group of 1–4 bytes becomes 3, 5, 8 or 10 digits. Any other length is not a code.
 */
const GROUP_BYTES = 5;
const GROUP_DIGITS = 13;
const TAIL_DIGITS = [0, 3, 5, 8, 10] as const; // digits for a tail of 0..4 bytes

export function bytesToDigits(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += GROUP_BYTES) {
    const group = bytes.subarray(i, i + GROUP_BYTES);
    let value = 0;
    for (const b of group) value = value * 256 + b;
    const width = group.length === GROUP_BYTES ? GROUP_DIGITS : TAIL_DIGITS[group.length]!;
    out += String(value).padStart(width, '0');
  }
  return out;
}

/**
 * Null when the text is not a well-formed digit encoding (wrong length, a non-digit, a group out of
 * range). Reads character codes in place: every badge scan decodes ~250 digits, and slicing each group
 * into a string to parse it cost several times the arithmetic (the code verification bench). A group's
 * 13 digits are read as two small integers (4 + 9 digits) and its bytes taken with integer operations:
 * `%` and `Math.floor` on the 40-bit double cost ~4 µs per badge, a twentieth of the signature check.
 */
export function digitsToBytes(digits: string): Uint8Array | null {
  const length = digits.length;
  const full = Math.floor(length / GROUP_DIGITS);
  const tailBytes = TAIL_DIGITS.indexOf((length - full * GROUP_DIGITS) as (typeof TAIL_DIGITS)[number]);
  if (tailBytes === -1) return null;
  const bytes = new Uint8Array(full * GROUP_BYTES + tailBytes);
  let at = 0;
  let i = 0;
  for (let group = 0; group < full; group++) {
    // value = high · 10⁹ + low < 10¹³; each part a small integer.
    let high = 0;
    for (const end = i + 4; i < end; i++) {
      const digit = digits.charCodeAt(i) - 48; // '0'
      if (digit < 0 || digit > 9) return null;
      high = high * 10 + digit;
    }
    let low = 0;
    for (const end = i + 9; i < end; i++) {
      const digit = digits.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return null;
      low = low * 10 + digit;
    }
    const value = high * 1e9 + low; // exact: below 2^53
    if (value >= 2 ** 40) return null;
    const low32 = value >>> 0; // value mod 2^32, exact for integers below 2^53
    bytes[at] = (value - low32) / 2 ** 32;
    bytes[at + 1] = low32 >>> 24;
    bytes[at + 2] = (low32 >>> 16) & 0xff;
    bytes[at + 3] = (low32 >>> 8) & 0xff;
    bytes[at + 4] = low32 & 0xff;
    at += GROUP_BYTES;
  }
  // The tail: at most 10 digits (4 bytes), below 2^34 before its range check — exact as a double.
  let value = 0;
  for (; i < length; i++) {
    const digit = digits.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  if (value >= 2 ** (8 * tailBytes)) return null;
  for (let j = tailBytes - 1; j >= 0; j--) {
    bytes[at + j] = value & 0xff;
    value >>>= 8;
  }
  return bytes;
}
