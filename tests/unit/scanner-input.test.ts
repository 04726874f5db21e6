import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_GUEST_COUNT, DEMO_SEED, generateRoster } from '../../electron/core/demo/generate.ts';
import { canonicalScan, cleanScan, scanCandidates } from '../../shared/codes/scanner-input.ts';
import { formatRosterCode, formatWalkInCode } from '../../shared/codes/short.ts';
import { typeOn } from '../support/keyboard-layouts.ts';

/** The lookup the core does (code-lookup.ts): the first reading, most literal first, that is a roster code. */
const resolveIn = (roster: ReadonlySet<string>, raw: string): string | null =>
  scanCandidates(raw).find((c) => roster.has(c)) ?? null;

// Codes as our users' rosters hold them: every family of code the kiosk scans.
const digitString = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const codeFamilies = {
  lanyardRoster: fc.tuple(fc.integer({ min: 1, max: 99 }), digitString(20)).map(([g, t]) => formatRosterCode(g, t)),
  lanyardWalkIn: fc
    .tuple(
      fc.integer({ min: 1, max: 99 }),
      fc.nat({ max: 9_999_999 }),
      fc.integer({ min: 1, max: 99_999 }),
      digitString(20),
    )
    .map(([g, d, s, t]) => formatWalkInCode(g, d, s, t)),
  demoTicket: fc.integer({ min: 100_000_000_000, max: 999_999_999_999 }).map(String),
  pretixSecret: fc.string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
    minLength: 32,
    maxLength: 32,
  }),
  eventbrite: digitString(21),
  ticketNumber: fc.integer({ min: 1, max: 99_999 }).map((n) => `TKT-${String(n).padStart(5, '0')}`),
};
const anyCode = fc.oneof(...Object.values(codeFamilies));

const AIM_PREFIXES = [']Q1', ']C0', ']E0', ']d2', ']Q3'];
const fullWidth = (text: string) =>
  [...text].map((c) => (c >= '!' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');

/** How a scanner or a person may deliver `code` on each of our layouts. */
function deliveries(code: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const layout of ['us', 'de', 'fr'] as const) {
    const type = (text: string) => typeOn(layout, text);
    out.push([`${layout}: as typed`, type(code)]);
    for (const prefix of AIM_PREFIXES) out.push([`${layout}: ${prefix} prefix`, type(prefix + code)]);
    out.push([`${layout}: Enter, Tab, GS, RS, EOT`, `${type(code)}\r\n\t\u001d\u001e\u0004`]);
  }
  out.push(['IME full-width', fullWidth(code)]);
  out.push(['IME full-width with prefix 】Q1', `】Ｑ１${fullWidth(code)}`]);
  if (/^\d+$/.test(code)) {
    const groups = code.match(/.{1,4}/g)!;
    out.push(['grouped with spaces', groups.join(' ')]);
    out.push(['grouped with dashes', groups.join('-')]);
    out.push(['grouped with dashes on a German layout', typeOn('de', groups.join('-'))]);
    out.push(['grouped with dashes on a French layout', typeOn('fr', groups.join('-'))]);
    out.push(['pasted with no-break and ideographic spaces', ` ${groups.join('\u00a0')}\u3000`]);
  }
  return out;
}

describe('scanner input', () => {
  it('reads the French digit row, the German Y/Z swap and ß, full-width digits and AIM prefixes (table)', () => {
    const table: Array<[string, string]> = [
      ['&é"\'(-è_çà', '1234567890'],
      ['_&à&', '8101'],
      ['ßß', '--'],
      ['zes', 'yes'],
      ['０１２３４５６７８９', '0123456789'],
      [']Q1810112345678901234567890', '810112345678901234567890'],
      ['+Q1810112345678901234567890', '810112345678901234567890'], // ]Q1 through a German layout
      ['$A&810112345678901234567890', '810112345678901234567890'], // ]Q1 through a French layout
      ['】Ｑ１８１０１', '8101'],
      ['8101 2345-6789\u001d\r\n', '810123456789'],
    ];
    for (const [sent, meant] of table) expect(scanCandidates(sent), sent).toContain(meant);
    expect(cleanScan('\u0000 12 34\r\n')).toBe('12 34');
  });

  it('generated codes of every family, delivered every way on US, German and French layouts, resolve to themselves', () => {
    fc.assert(
      fc.property(fc.uniqueArray(anyCode, { minLength: 1, maxLength: 40 }), (codes) => {
        const roster = new Set(codes);
        for (const code of codes) {
          for (const [how, sent] of deliveries(code)) {
            // A layout can only ever turn one code into another if the typed text is itself a roster code:
            // then the literal code wins, as it must (it is what arrived).
            if (roster.has(cleanScan(sent)) && cleanScan(sent) !== code) continue;
            expect(resolveIn(roster, sent), `${code} — ${how}: ${JSON.stringify(sent)}`).toBe(code);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a run of digits reads only as itself, with or without something to clean (the fast path agrees)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,200}$/), (digits) => {
        expect(scanCandidates(digits)).toEqual([digits]);
        // '\r' sends the scan down the full path: cleaned, then read on the German and French layouts.
        expect(scanCandidates(`${digits}\r`)).toEqual([digits]);
      }),
      { numRuns: 500 },
    );
  });

  it('a code that arrives intact is always itself: the literal reading comes first', () => {
    fc.assert(
      fc.property(anyCode, (code) => {
        expect(scanCandidates(code)[0]).toBe(code);
      }),
      { numRuns: 2000 },
    );
  });

  it('no two codes of the whole roster (demo roster, its Lanyard badges, imported-style codes) normalise to the same string, on any layout', () => {
    const demo = generateRoster(DEMO_GUEST_COUNT, DEMO_SEED).flatMap((g) => g.codes);
    const imported = fc.sample(
      fc.oneof(codeFamilies.pretixSecret, codeFamilies.eventbrite, codeFamilies.ticketNumber),
      {
        numRuns: 600,
        seed: 7,
      },
    );
    const lanyard = fc.sample(fc.oneof(codeFamilies.lanyardRoster, codeFamilies.lanyardWalkIn), {
      numRuns: 600,
      seed: 8,
    });
    const roster = [...new Set([...demo, ...imported, ...lanyard])];
    expect(roster.length).toBeGreaterThan(1400);
    const byCanonical = new Map<string, string>();
    for (const code of roster) {
      const key = canonicalScan(code);
      expect(byCanonical.get(key), `${code} and ${byCanonical.get(key)} both read as ${key}`).toBeUndefined();
      byCanonical.set(key, code);
    }
    const set = new Set(roster);
    for (const code of roster) {
      for (const [how, sent] of deliveries(code)) expect(resolveIn(set, sent), `${code} — ${how}`).toBe(code);
    }
  });
});
