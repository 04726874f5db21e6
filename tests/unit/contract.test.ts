import { describe, expect, it } from 'vitest';
import { createApi } from '../../shared/api.ts';
import { contract, methodNames } from '../../shared/contract.ts';
import { catalogues, locales, translate } from '../../shared/i18n/index.ts';
import { isWedgeBurst } from '../../renderer/src/wedge.ts';

describe('contract schemas', () => {
  it('parses good input and rejects bad input with a path', () => {
    expect(contract['guests.scan'].input.safeParse({ code: '123' }).success).toBe(true);
    expect(contract['guests.scan'].input.safeParse({ code: 123 }).success).toBe(false);
    expect(contract['guests.scan'].input.safeParse({ code: '1', extra: true }).success).toBe(false);
    expect(contract['guests.scan'].input.safeParse({ code: 'x'.repeat(5000) }).success).toBe(false);
    expect(
      contract['guests.walkIn'].input.safeParse({ name: '  ', organization: '', email: '', role: 'guest' }).success,
    ).toBe(false);
    expect(
      contract['guests.walkIn'].input.safeParse({ name: 'A', organization: '', email: 'not-an-email', role: 'guest' })
        .success,
    ).toBe(false);
    expect(
      contract['guests.walkIn'].input.safeParse({ name: 'A', organization: '', email: '', role: 'guest' }).success,
    ).toBe(true);
    expect(contract['checkins.undo'].input.safeParse({ guestId: 'g1' }).success).toBe(true);
    expect(contract['checkins.undo'].input.safeParse({}).success).toBe(false);
  });

  it('derives one API function per method', async () => {
    const seen: string[] = [];
    const api = createApi(async (method) => {
      seen.push(method);
      return { ok: true, value: null };
    });
    for (const m of methodNames) await (api[m] as (i: unknown) => Promise<unknown>)({});
    expect(seen).toEqual(methodNames);
  });
});

describe('i18n', () => {
  it('every locale has exactly the English keys, none empty', () => {
    const keys = Object.keys(catalogues.en).sort();
    for (const locale of locales) {
      expect(Object.keys(catalogues[locale]).sort()).toEqual(keys);
      for (const value of Object.values(catalogues[locale])) expect(value.trim()).not.toBe('');
    }
  });

  it('fills placeholders and leaves a missing one visible', () => {
    expect(translate('de', 'stats.checkedIn', { checkedIn: 3, guests: 300 })).toBe('3 von 300 eingelassen');
    expect(translate('zh-CN', 'result.undone', {})).toContain('{name}');
  });
});

describe('keyboard-wedge detection', () => {
  const times = (gaps: number[]) => gaps.reduce<number[]>((acc, g) => [...acc, (acc.at(-1) ?? 0) + g], [0]);
  it('a scanner burst is a scan; a person typing is not', () => {
    expect(isWedgeBurst(times(Array(11).fill(5)))).toBe(true);
    expect(isWedgeBurst(times([5, 5, 5, 250, 5, 5, 5, 5]))).toBe(true); // one scheduler hiccup
    expect(isWedgeBurst(times(Array(7).fill(120)))).toBe(false);
    expect(isWedgeBurst(times([5, 5]))).toBe(false); // too short to tell
  });
});
