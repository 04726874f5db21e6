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

/** Null when the text is not a well-formed digit encoding (wrong length, a group out of range). */
export function digitsToBytes(digits: string): Uint8Array | null {
  if (!/^\d*$/.test(digits)) return null;
  const full = Math.floor(digits.length / GROUP_DIGITS);
  const tailDigits = digits.length - full * GROUP_DIGITS;
  const tailBytes = TAIL_DIGITS.indexOf(tailDigits as (typeof TAIL_DIGITS)[number]);
  if (tailBytes === -1) return null;
  const bytes = new Uint8Array(full * GROUP_BYTES + tailBytes);
  const put = (chunk: string, count: number, at: number): boolean => {
    let value = Number(chunk);
    if (value >= 2 ** (8 * count)) return false;
    for (let j = count - 1; j >= 0; j--) {
      bytes[at + j] = value % 256;
      value = Math.floor(value / 256);
    }
    return true;
  };
  for (let g = 0; g < full; g++)
    if (!put(digits.slice(g * GROUP_DIGITS, (g + 1) * GROUP_DIGITS), GROUP_BYTES, g * GROUP_BYTES)) return null;
  if (tailBytes > 0 && !put(digits.slice(full * GROUP_DIGITS), tailBytes, full * GROUP_BYTES)) return null;
  return bytes;
}
