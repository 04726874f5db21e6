import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToDigits, digitsToBytes } from '../../shared/codes/digits.ts';
import { encodeCode, encodeUnsigned, parseCode, type CodePayload } from '../../shared/codes/payload.ts';

/**
 * 1,000 random payloads by default; `LANYARD_PROPERTY_RUNS=10000` for the long run. Injected format bugs (a
 * length in UTF-16 units, a signed u32, an empty name or forum dropped, a lost keyId bit or u32 byte, wrong
 * digit-group widths or padding) were each found within 70 runs over 40 seeds, so 1,000 keeps a wide margin
 * while staying a second or two on a loaded 2-core machine (10,000 took 13 s and timed out under load).
 * No field here grows past 127 bytes even in 20,000 runs, so more runs would not reach the 255-byte limit:
 * the 256+ byte payload test below does.
 */
const RUNS = Number(process.env['LANYARD_PROPERTY_RUNS'] ?? '1000');

const payloadArb: fc.Arbitrary<CodePayload> = fc.record({
  keyId: fc.integer({ min: 1, max: 65535 }),
  eventTag: fc.uint8Array({ minLength: 4, maxLength: 4 }),
  guestId: fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => new TextEncoder().encode(s).length <= 255),
  validity: fc.option(
    fc.record({ notBeforeMin: fc.nat({ max: 2 ** 32 - 1 }), notAfterMin: fc.nat({ max: 2 ** 32 - 1 }) }),
    { nil: null },
  ),
  name: fc.option(fc.string({ unit: 'grapheme', maxLength: 40 }), { nil: null }),
  organization: fc.option(fc.string({ unit: 'grapheme', maxLength: 40 }), { nil: null }),
  forum: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
  deviceCert: fc.option(
    fc.record({
      publicKey: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      certificate: fc.uint8Array({ minLength: 64, maxLength: 64 }),
    }),
    { nil: null },
  ),
});

describe('digits encoding', () => {
  it('round-trips any bytes and rejects impossible lengths', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(digitsToBytes(bytesToDigits(bytes))).toEqual(bytes);
      }),
    );
    expect(digitsToBytes('12')).toBeNull();
    expect(digitsToBytes('999')).toBeNull(); // 999 > 255 in a one-byte tail
    expect(digitsToBytes('12a')).toBeNull();
  });

  it('decodes any text exactly as the plain group-by-group reading does (the fast path is the same function)', () => {
    // The reading before the in-place decoder: slice each 13-digit group, Number() it, split into bytes.
    const reference = (digits: string): Uint8Array | null => {
      if (!/^\d*$/.test(digits)) return null;
      const full = Math.floor(digits.length / 13);
      const tail = [0, 3, 5, 8, 10].indexOf(digits.length - full * 13);
      if (tail === -1) return null;
      const out: number[] = [];
      const groups: Array<[string, number]> = Array.from({ length: full }, (_, g) => [
        digits.slice(g * 13, g * 13 + 13),
        5,
      ]);
      if (tail > 0) groups.push([digits.slice(full * 13), tail]);
      for (const [chunk, count] of groups) {
        let value = Number(chunk);
        if (value >= 2 ** (8 * count)) return null;
        const bytes: number[] = [];
        for (let j = 0; j < count; j++) {
          bytes.unshift(value % 256);
          value = Math.floor(value / 256);
        }
        out.push(...bytes);
      }
      return Uint8Array.from(out);
    };
    const text = fc.oneof(
      fc.stringMatching(/^[0-9]{0,70}$/),
      fc.stringMatching(/^[0-9 a/:9]{0,40}$/),
      fc.uint8Array({ maxLength: 40 }).map(bytesToDigits),
    );
    fc.assert(
      fc.property(text, (digits) => {
        expect(digitsToBytes(digits)).toEqual(reference(digits));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('badge code format', () => {
  it(`round-trips ${RUNS} random payloads (format only; signatures are tested in the core)`, () => {
    fc.assert(
      fc.property(payloadArb, fc.uint8Array({ minLength: 64, maxLength: 64 }), (payload, signature) => {
        const code = encodeCode(encodeUnsigned(payload), signature);
        expect(code).toMatch(/^\d+$/);
        const parsed = parseCode(code);
        expect(parsed.ok).toBe(true);
        if (parsed.ok) {
          expect({ ...parsed.payload, eventTag: [...parsed.payload.eventTag] }).toEqual({
            ...payload,
            eventTag: [...payload.eventTag],
          });
          expect([...parsed.signature]).toEqual([...signature]);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a payload of 256+ bytes still encodes (all optional fields at their longest)', () => {
    const long = 'x'.repeat(255);
    const payload: CodePayload = {
      keyId: 7,
      eventTag: new Uint8Array(4),
      guestId: 'g1',
      validity: { notBeforeMin: 1, notAfterMin: 2 },
      name: long,
      organization: long,
      forum: 'it',
      deviceCert: null,
    };
    const unsigned = encodeUnsigned(payload);
    expect(unsigned.length).toBeGreaterThan(256);
    expect(parseCode(encodeCode(unsigned, new Uint8Array(64))).ok).toBe(true);
  });

  it('names why text is not a code: not digits, or digits of no code length', () => {
    const code = encodeCode(
      encodeUnsigned({
        keyId: 7,
        eventTag: new Uint8Array(4),
        guestId: 'g1',
        validity: null,
        name: null,
        organization: null,
        forum: null,
        deviceCert: null,
      }),
      new Uint8Array(64),
    );
    const reason = (text: string) => {
      const parsed = parseCode(text);
      return parsed.ok ? 'ok' : parsed.reason;
    };
    expect(reason(code)).toBe('ok');
    expect(reason('')).toBe('not_digits');
    expect(reason(`${code.slice(0, 40)}x${code.slice(41)}`)).toBe('not_digits');
    expect(reason(`${code.slice(0, 40)}٣${code.slice(41)}`)).toBe('not_digits'); // an Arabic-Indic three
    expect(reason(`${code.slice(0, -1)} `)).toBe('not_digits');
    expect(reason(code.slice(0, -1))).toBe('bad_length');
    expect(reason(`${code}1`)).toBe('bad_length');
    expect(reason('9'.repeat(13))).toBe('bad_length'); // 13 digits, but more than 5 bytes hold
  });
});
