import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guestRowValues, type GuestRecord } from '../../electron/core/guests/row.ts';
import { emailPartKeys, privateKeys } from '../../shared/search/own-keys.ts';
import { fold, tokens } from '../../shared/search/fold.ts';
import { emailKey } from '../../shared/search/keys.ts';
import { packGuest, stagedGuestRows, type StagedGuestRows } from '../../electron/core/guests/staged-guests.ts';

/**
 * A big import's new guests travel to the staging worker packed (guests/staged-guests.ts), and the worker
 * makes their staged rows and private search keys. What it stages must be what the door's thread staged
 * itself before (the rows and keys of each guest, as GuestStager.add made them), for any guest: Chinese,
 * German and French names, Unicode and odd emails, codes in and out of search form, repeated forum
 * preferences, empty fields.
 */

/**
 * The rows GuestStager.add staged on the door's thread, guest by guest — but that a guest's codes and
 * keys name it by its staged row's number (`firstRow` for the first), not by its id.
 */
function stagedOnTheDoor(
  guests: ReadonlyArray<{ g: GuestRecord; nameTerm: number; orgTerm: number }>,
  firstRow: number,
) {
  const out: StagedGuestRows = { guests: [], codes: [], private_keys: [] };
  let n = firstRow;
  for (const { g, nameTerm, orgTerm } of guests) {
    // Its row, its list place's code, its preferences best first (each forum once) as JSON.
    out.guests.push(...guestRowValues(g, { nameTerm, orgTerm, emailKey: emailKey(g.email) }));
    out.guests.push(g.codes[0] ?? '', JSON.stringify([...new Set(g.forumPreferences)]));
    for (const code of g.codes) out.codes.push(code, n);
    for (const k of privateKeys(g)) out.private_keys.push(k.key, n, k.weight);
    n++;
  }
  return out;
}

const text = fc.oneof(
  fc.constantFrom('', ' ', '刘青', '王芳', 'Müller', 'Jürgen Groß', 'François Lefèvre', 'Zoë', 'Ærø', 'x'),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: fc.constantFrom('a', 'Ä', 'é', 'ß', '张', '-', '.', ' ', '@', '1'), maxLength: 10 }),
);
const email = fc.oneof(
  fc.constantFrom('', 'anna.muller.4@example.org', 'liu.qing@example.cn', 'Jürgen.Groß@Beispiel.de', 'a@b', '@x'),
  fc.tuple(text, text).map(([local, domain]) => `${local}@${domain}`),
  text,
);
const code = fc.oneof(fc.constantFrom('cn001', 'CN-001', 'DE 17', 'ÄÖ-1', '张-3'), fc.string({ maxLength: 6 }));
const guest = fc.record({
  displayName: text,
  familyName: text,
  givenName: text,
  nativeName: text,
  latinName: text,
  organization: text,
  role: fc.constantFrom('speaker', 'partner', 'guest', 'press', 'staff', 'vip' as const),
  email,
  note: text,
  vip: fc.boolean(),
  status: fc.constantFrom('active', 'cancelled', 'blocked', 'removed' as const),
  walkIn: fc.boolean(),
  forumPreferences: fc.array(fc.constantFrom('f1', 'f2', 'f3', 'forum-ä'), { maxLength: 5 }),
  phone: text,
  source: fc.constantFrom('demo', 'import', 'walk_in' as const),
  codes: fc.array(code, { maxLength: 3 }),
  nameTerm: fc.nat(5000),
  orgTerm: fc.nat(5000),
});

describe("a big import's staged guests", () => {
  it('the worker stages the same rows and keys the door staged, for any guests', () => {
    fc.assert(
      fc.property(fc.array(guest, { maxLength: 12 }), fc.integer({ min: 1, max: 1e6 }), (drawn, firstRow) => {
        const guests = drawn.map(({ nameTerm, orgTerm, ...fields }, i) => ({
          g: { ...fields, id: `i_0123456789${i.toString(16).padStart(6, '0')}` } satisfies GuestRecord,
          nameTerm,
          orgTerm,
        }));
        const packed: Array<string | number> = [];
        for (const { g, nameTerm, orgTerm } of guests) packGuest(packed, g, nameTerm, orgTerm);
        expect(stagedGuestRows(packed, firstRow)).toEqual(stagedOnTheDoor(guests, firstRow));
      }),
      { numRuns: 1_500 },
    );
  });

  it('keys of a Chinese, a German and a French guest', () => {
    const g = (id: string, email: string, codes: string[]): GuestRecord => ({
      id,
      displayName: '刘青',
      familyName: '刘',
      givenName: '青',
      nativeName: '刘青',
      latinName: 'Liu Qing',
      organization: '清华大学',
      role: 'guest',
      email,
      note: '',
      vip: false,
      status: 'active',
      walkIn: false,
      forumPreferences: ['f2', 'f1', 'f2'],
      phone: '',
      source: 'import',
      codes,
    });
    const packed: Array<string | number> = [];
    packGuest(packed, g('i_a', 'liu.qing@example.cn', ['CN-001']), 3, 4);
    packGuest(packed, g('i_b', 'Jürgen.Groß@Beispiel.de', []), 5, 6);
    packGuest(packed, g('i_c', 'francois.lefevre.2@exemple.fr', ['fr7']), 7, 8);
    const rows = stagedGuestRows(packed, 41);
    expect(rows.guests.filter((_, i) => i % 20 === 17)).toEqual([
      'liuqingexamplecn',
      'jurgengrossbeispielde',
      'francoislefevre2exemplefr',
    ]);
    // Codes and keys name their guest by its staged row: the batch's first is row 41.
    expect(rows.codes).toEqual(['CN-001', 41, 'fr7', 43]);
    // Each guest's first code and its preferences, each forum once, best first.
    const width = rows.guests.length / 3;
    expect([0, 1, 2].map((g) => rows.guests.slice((g + 1) * width - 2, (g + 1) * width))).toEqual([
      ['CN-001', '["f2","f1"]'],
      ['', '["f2","f1"]'],
      ['fr7', '["f2","f1"]'],
    ]);
    expect(rows.private_keys).toEqual([
      'cn001',
      41,
      2,
      'qingexamplecn',
      41,
      4,
      'grossbeispielde',
      42,
      4,
      'lefevre2exemplefr',
      43,
      4,
    ]);
  });
});

describe("an email's part keys", () => {
  /** emailPartKeys before its ASCII path: fold and tokens on every address. */
  const careful = (email: string): string[] => {
    const trimmed = email.trim().toLowerCase();
    const at = trimmed.lastIndexOf('@');
    if (at <= 0) return [];
    const local = tokens(fold(trimmed.slice(0, at)));
    const domain = tokens(fold(trimmed.slice(at + 1))).join('');
    const out = new Set<string>();
    for (let i = 1; i < local.length; i++) if (!/^[0-9]+$/.test(local[i]!)) out.add(local.slice(i).join('') + domain);
    return [...out];
  };

  it('are what folding every part gives, ASCII or not', () => {
    const unit = fc.constantFrom('a', 'Z', '4', '.', '-', '_', '+', ' ', '@', '~', 'é', 'ß', '张', '\t');
    fc.assert(
      fc.property(fc.oneof(email, fc.string({ unit, maxLength: 24 })), (address) => {
        expect(emailPartKeys(address)).toEqual(careful(address));
      }),
      { numRuns: 3_000 },
    );
    expect(emailPartKeys('Anna.Muller.4@Example.org')).toEqual(['muller4exampleorg']);
    expect(emailPartKeys('a.b.c@x.y')).toEqual(['bcxy', 'cxy']);
  });
});
