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
 * into a string to parse it cost several times the arithmetic (the code verification bench).
 */
export function digitsToBytes(digits: string): Uint8Array | null {
  const length = digits.length;
  const full = Math.floor(length / GROUP_DIGITS);
  const tailBytes = TAIL_DIGITS.indexOf((length - full * GROUP_DIGITS) as (typeof TAIL_DIGITS)[number]);
  if (tailBytes === -1) return null;
  const bytes = new Uint8Array(full * GROUP_BYTES + tailBytes);
  let at = 0;
  for (let i = 0; i < length;) {
    const count = i + GROUP_DIGITS <= length ? GROUP_BYTES : tailBytes;
    const end = count === GROUP_BYTES ? i + GROUP_DIGITS : length;
    let value = 0;
    for (; i < end; i++) {
      const digit = digits.charCodeAt(i) - 48; // '0'
      if (digit < 0 || digit > 9) return null;
      value = value * 10 + digit;
    }
    if (value >= 2 ** (8 * count)) return null;
    for (let j = count - 1; j >= 0; j--) {
      bytes[at + j] = value % 256;
      value = Math.floor(value / 256);
    }
    at += count;
  }
  return bytes;
}
