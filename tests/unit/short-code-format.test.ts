import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksLikeLanyardCode, parseCode } from '../../shared/codes/payload.ts';
import {
  ROSTER_CODE_LENGTH,
  WALK_IN_CODE_LENGTH,
  formatRosterCode,
  formatWalkInCode,
  parseShortCode,
  tagDigits,
  walkInGuestId,
} from '../../shared/codes/short.ts';

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const tag = digits(20, 20);

describe('short badge code format (format 2)', () => {
  it('round-trips every roster and walk-in code, digits only and ≤ 50 characters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), tag, (generation, t) => {
        const code = formatRosterCode(generation, t);
        expect(code).toMatch(/^\d+$/);
        expect(code).toHaveLength(ROSTER_CODE_LENGTH);
        expect(parseShortCode(code)).toEqual({ kind: 'roster', generation, tag: t });
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99 }),
        fc.nat({ max: 9_999_999 }),
        fc.integer({ min: 1, max: 99_999 }),
        tag,
        (generation, device, serial, t) => {
          const code = formatWalkInCode(generation, device, serial, t);
          expect(code).toMatch(/^\d+$/);
          expect(code.length).toBe(WALK_IN_CODE_LENGTH);
          expect(code.length).toBeLessThanOrEqual(50);
          expect(parseShortCode(code)).toEqual({ kind: 'walk_in', generation, device, serial, tag: t });
          expect(walkInGuestId(device, serial)).toMatch(/^w_\d{7}_\d{5}$/);
        },
      ),
    );
  });

  it('the prefix and lengths never collide with old signed codes or imported codes', () => {
    // Old (format 1) codes: ≥ 150 digits, never a short code; short codes are never taken for old ones.
    fc.assert(
      fc.property(digits(150, 400), (old) => {
        expect(parseShortCode(old)).toBeNull();
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), tag, (g, t) => {
        const code = formatRosterCode(g, t);
        expect(looksLikeLanyardCode(code)).toBe(false);
        expect(parseCode(code).ok).toBe(false);
      }),
    );
    // Imported codes: pretix secrets (letters and digits), Eventbrite barcodes (18–21 digits), ticket
    // numbers (≤ 12 digits or with letters) — other characters or other lengths.
    const imported = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'abcdefghjkmnpqrstuvwxyz23456789'), minLength: 32, maxLength: 32 }),
      digits(18, 21),
      digits(1, 12),
      fc.integer({ min: 1, max: 99_999 }).map((n) => `TKT-${n}`),
    );
    fc.assert(
      fc.property(imported, (code) => {
        expect(parseShortCode(code)).toBeNull();
      }),
      { numRuns: 5000 },
    );
    // Layout-valid but not ours: generation 00, serial 00000, another family or kind digit.
    expect(parseShortCode(`8100${'1'.repeat(20)}`)).toBeNull();
    expect(parseShortCode(`7101${'1'.repeat(20)}`)).toBeNull();
    expect(parseShortCode(`8301${'1'.repeat(20)}`)).toBeNull();
    expect(parseShortCode(`8201${'1'.repeat(7)}00000${'1'.repeat(20)}`)).toBeNull();
  });

  it('a tag is 20 digits from 12 bytes of MAC, uniform enough (≈ 66.4 bits)', () => {
    expect(tagDigits(new Uint8Array(12))).toBe('0'.repeat(20));
    expect(tagDigits(new Uint8Array(12).fill(255))).toBe(((2n ** 96n - 1n) % 10n ** 20n).toString().padStart(20, '0'));
    expect(() => tagDigits(new Uint8Array(11))).toThrow();
  });
});
