import { describe, expect, it } from 'vitest';
import { withinOneEdit } from '../../electron/core/guests/search.ts';
import {
  deletionVariants,
  domainKeys,
  emailPartKeys,
  hanSuffixes,
  isTypoWord,
  nameKeys,
  typoWordsOf,
} from '../../shared/search/keys.ts';
import { splitFullName } from '../../shared/roster/records.ts';
import { pinyinTranscription } from '../../shared/roster/transcription.ts';

describe('search keys of issue 12', () => {
  it('Han runs give their suffixes of 2+ characters', () => {
    expect(hanSuffixes('上海长三角研究院')).toEqual([
      '海长三角研究院',
      '长三角研究院',
      '三角研究院',
      '角研究院',
      '研究院',
      '究院',
    ]);
    expect(hanSuffixes('刘青')).toEqual([]);
    expect(hanSuffixes('abc 欧阳晓明')).toEqual(['阳晓明', '晓明']);
  });

  it('email parts: later local-part words run into the domain; domains from each label but the last', () => {
    expect(emailPartKeys('anna.muller.4@example.org')).toEqual(['muller4exampleorg']);
    expect(emailPartKeys('x@y.de')).toEqual([]);
    expect(emailPartKeys('not an address')).toEqual([]);
    expect(domainKeys('ise.example.de')).toEqual(['iseexamplede', 'examplede']);
    expect(domainKeys('')).toEqual([]);
  });

  it('deletion variants meet exactly when two words are within one edit', () => {
    const meet = (a: string, b: string) => deletionVariants(a).some((v) => deletionVariants(b).includes(v));
    for (const [a, b] of [
      ['mueller', 'mueler'],
      ['schneider', 'schnieder'],
      ['bennett', 'benett'],
      ['munchen', 'munchn'],
      ['lukas', 'lukaz'],
    ] as const) {
      expect(meet(a, b), `${a} ~ ${b}`).toBe(true);
      expect(withinOneEdit(a, b), `${a} ~ ${b}`).toBe(true);
    }
    // Shared deletion but two edits apart: the check after the lookup drops it.
    expect(meet('xabcd', 'abcdy')).toBe(true);
    expect(withinOneEdit('xabcd', 'abcdy')).toBe(false);
    expect(['anna', 'mueller', '长三角研究', 'a'.repeat(25)].filter(isTypoWord)).toEqual(['mueller']);
  });

  it('typo words are the words of a name as written, and a Han name’s pinyin run together — not the other joins', () => {
    // 4 letters (anna) is too short; "annamariaschmidt", "schmidtmariaanna" are keys, not typo words.
    expect(typoWordsOf(['Anna Maria Schmidt']).sort()).toEqual(['maria', 'schmidt']);
    expect(typoWordsOf(['Jürgen Müller']).sort()).toEqual(['juergen', 'jurgen', 'mueller', 'muller']);
    expect(typoWordsOf(['刘青'])).toEqual(['liuqing']); // typed as pinyin without a space; not "qingliu"
    expect(typoWordsOf(['欧阳晓明', 'Ouyang Xiaoming']).sort()).toEqual(['ouyang', 'ouyangxiaoming', 'xiaoming']);
    // Every typo word is one of the name's keys (import recovery drops variants of words that are not).
    for (const names of [['Anna Maria Schmidt'], ['Jürgen Müller'], ['欧阳晓明', 'Ouyang Xiaoming']]) {
      const keys = new Set(nameKeys(names).map((k) => k.key));
      for (const word of typoWordsOf(names)) expect(keys.has(word), word).toBe(true);
    }
  });

  it('compound surnames split and names get their pinyin', () => {
    expect(splitFullName('欧阳晓明')).toEqual({ familyName: '欧阳', givenName: '晓明' });
    expect(pinyinTranscription('欧阳', '晓明')).toBe('Ouyang Xiaoming');
    expect(pinyinTranscription('单', '丽')).toBe('Shan Li');
    expect(pinyinTranscription('Berg', 'Anna')).toBe('');
  });
});
