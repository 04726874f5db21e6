import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold, foldGerman } from '../../shared/search/fold.ts';
import { emailKey, parseQuery, pinyinSyllables, searchKeys, type SearchableGuest } from '../../shared/search/keys.ts';

const guest = (over: Partial<SearchableGuest>): SearchableGuest => ({
  displayName: '',
  familyName: '',
  givenName: '',
  nativeName: '',
  latinName: '',
  organization: '',
  email: '',
  codes: [],
  ...over,
});

/** Does the query find the guest? The same rule as the core: every query form is a key prefix. */
function finds(query: string, g: SearchableGuest): boolean {
  const keys = searchKeys(g).map((k) => k.key);
  const q = parseQuery(query);
  if (keys.some((k) => k.startsWith(q.compact))) return true;
  return q.tokens.every((t) => keys.some((k) => k.startsWith(t)));
}

describe('fold', () => {
  it.each([
    ['José', 'jose'],
    ['Müller', 'muller'],
    ['Weiß', 'weiss'],
    ['ŁUKASZ Øster', 'lukasz oster'],
    ["O'Brien-Smith", 'o brien smith'],
    ['Ｆｕｌｌｗｉｄｔｈ', 'fullwidth'],
    ['  Chloé\tDupont ', 'chloe dupont'],
    ['刘青', '刘青'],
  ])('%s → %s', (input, expected) => expect(fold(input)).toBe(expected));

  it('transliterates umlauts the German way as well', () => {
    expect(foldGerman('Müller Köhler Bär')).toBe('mueller koehler baer');
  });
});

describe('pinyin', () => {
  it('gives one syllable per Han character, without tones', () => {
    expect(pinyinSyllables('刘青')).toEqual(['liu', 'qing']);
    expect(pinyinSyllables('谭瑞聪')).toEqual(['tan', 'rui', 'cong']);
  });
});

describe('search keys', () => {
  const mueller = guest({
    displayName: 'Anna Müller',
    familyName: 'Müller',
    givenName: 'Anna',
    organization: 'Großmann AG',
    email: 'anna@example.org',
    codes: ['123456789012'],
  });
  const liu = guest({
    displayName: '刘青',
    familyName: '刘',
    givenName: '青',
    nativeName: '刘青',
    latinName: 'Liu Qing',
  });

  it.each([
    'muller',
    'mueller',
    'Müller',
    'MUELLER',
    'anna',
    'anna muller',
    'muller anna',
    'annamueller',
    'grossmann',
    'großmann',
    'anna@example',
    '1234567',
  ])('Anna Müller is found by %j', (q) => expect(finds(q, mueller)).toBe(true));

  it.each(['liu qing', 'liuqing', 'lq', 'qing liu', 'qingliu', 'liu', '刘青', '青', 'LIU QING'])(
    '刘青 is found by %j',
    (q) => expect(finds(q, liu)).toBe(true),
  );

  it.each(['mullr', 'anna x', 'miller'])('Anna Müller is not found by %j', (q) =>
    expect(finds(q, mueller)).toBe(false),
  );
  it.each(['lx', 'wang', 'liuq x'])('刘青 is not found by %j', (q) => expect(finds(q, liu)).toBe(false));

  it('ranks names above organisations', () => {
    const keys = new Map(searchKeys(mueller).map((k) => [k.key, k.weight]));
    expect(keys.get('muller')).toBeLessThan(keys.get('grossmann')!);
  });
});

describe('email keys', () => {
  it('the ASCII fast path gives what folding gives, for any address', () => {
    const slow = (email: string) => fold(email.trim().toLowerCase()).replace(/ /g, '');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.emailAddress(), fc.string({ unit: 'grapheme' })), (email) => {
        expect(emailKey(email)).toBe(slow(email));
      }),
      { numRuns: 3000 },
    );
    expect(emailKey(' Liu.Qing@Example.CN ')).toBe('liuqingexamplecn');
    expect(emailKey('jürgen.weiß@example.de')).toBe('jurgenweissexamplede');
  });
});
