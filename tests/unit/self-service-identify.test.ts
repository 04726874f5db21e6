import { describe, expect, it } from 'vitest';
import {
  lookupLockSeconds,
  nameMatches,
  secondFactMatches,
  typedNameKeys,
  type IdentifiableGuest,
} from '../../shared/self-service/identify.ts';

/** The self-service lookup's rules: a whole name in any order and spelling, a second fact, the lock steps. */

const guest = (fields: Partial<IdentifiableGuest>): IdentifiableGuest => ({
  displayName: '',
  familyName: '',
  givenName: '',
  nativeName: '',
  latinName: '',
  email: '',
  phone: '',
  ...fields,
});
const mueller = guest({ displayName: 'Jonas Müller', familyName: 'Müller', givenName: 'Jonas' });
const wang = guest({ displayName: '王小明', nativeName: '王小明', latinName: 'Wang Xiaoming' });

describe('the whole name', () => {
  it.each(['Jonas Müller', 'jonas muller', 'MUELLER, Jonas', '  jonas   müller ', 'Ｊｏｎａｓ Müller'])(
    '%j is Jonas Müller',
    (typed) => expect(nameMatches(typed, mueller)).toBe(true),
  );
  it.each(['Jonas', 'Müller', 'Jonas Mülle', 'Jonas Müller Schmidt', 'J Müller'])('%j is not', (typed) =>
    expect(nameMatches(typed, mueller)).toBe(false),
  );
  it('a Chinese name in its script, with or without a space, or its Latin form; not a part of it', () => {
    expect(nameMatches('王小明', wang)).toBe(true);
    expect(nameMatches('王 小明', wang)).toBe(true);
    expect(nameMatches('Wang Xiaoming', wang)).toBe(true);
    expect(nameMatches('xiaoming wang', wang)).toBe(true);
    expect(nameMatches('小明', wang)).toBe(false);
    expect(nameMatches('wxm', wang)).toBe(false);
  });
  it('looks names up by their words joined, as the search index keys them', () => {
    expect(typedNameKeys('Jonas Müller')).toEqual(['jonasmuller', 'jonasmueller']);
    expect(typedNameKeys(' , ')).toEqual([]);
  });
});

describe('the second fact', () => {
  const facts = { email: 'Jonas.Mueller@example.org', phone: '+49 (170) 555-1234' };
  it('the last four digits of the phone, however it is written', () => {
    expect(secondFactMatches('1234', facts)).toBe(true);
    expect(secondFactMatches('１２３４', facts)).toBe(true);
    expect(secondFactMatches('5551', facts)).toBe(false);
    expect(secondFactMatches('234', facts)).toBe(false);
    expect(secondFactMatches('1234', { email: '', phone: '' })).toBe(false);
  });
  it('the first four or more characters of the email, in any case', () => {
    expect(secondFactMatches('jona', facts)).toBe(true);
    expect(secondFactMatches('JONAS.MUELLER@', facts)).toBe(true);
    expect(secondFactMatches('jon', facts)).toBe(false);
    expect(secondFactMatches('onas', facts)).toBe(false);
    expect(secondFactMatches('jona', { email: '', phone: '' })).toBe(false);
  });
});

describe('the lock after misses', () => {
  it('closes at every fifth miss in a row, 30 s first, growing to 15 min at most', () => {
    expect([1, 2, 3, 4, 6, 9].map(lookupLockSeconds)).toEqual([0, 0, 0, 0, 0, 0]);
    expect([5, 10, 15, 20, 25, 30, 35, 500].map(lookupLockSeconds)).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
  });
});
