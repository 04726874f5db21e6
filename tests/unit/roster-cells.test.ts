import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toRecords } from '../../shared/roster/records.ts';
import { cleanText } from '../../shared/text/clean.ts';

/**
 * An imported cell is cleaned (control characters out, TAB and line breaks kept) and trimmed of spaces
 * (ASCII, no-break, ideographic). records.ts skips that work for cells that need none; what comes out must
 * be what the careful path gives, for any text.
 */
const careful = (value: string) => cleanText(value, 'multiline').replace(/^[ \u00a0\u3000]+|[ \u00a0\u3000]+$/g, '');

describe('an imported cell', () => {
  it('is cleaned and trimmed the same way, whether or not it needed it', () => {
    const unit = fc.oneof(
      fc.constantFrom('a', 'Ä', '张', ' ', '\u00a0', '\u3000', '\t', '\n', '\r', '\u0000', '\u0085', '\u007f'),
      fc.constantFrom('\ud83d\ude00', '\ud800', '\udc00', '\u200b', '\ufeff'),
      fc.string({ unit: 'binary', maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 12 }), (org) => {
        const { records } = toRecords(['Name', 'Firma'], [['Anna', org]], { fullName: 0, organization: 1 }, []);
        expect(records[0]!.organization).toBe(careful(org));
      }),
      { numRuns: 2_000 },
    );
  });

  it('plain cells come through as they are', () => {
    const { records } = toRecords(
      ['Name', 'Firma', 'E-Mail'],
      [['王芳', '清华大学 (Tsinghua)', 'wang.fang@example.cn']],
      { fullName: 0, organization: 1, email: 2 },
      [],
    );
    expect(records[0]).toMatchObject({
      displayName: '王芳',
      organization: '清华大学 (Tsinghua)',
      email: 'wang.fang@example.cn',
    });
  });
});
