import { describe, expect, it } from 'vitest';
import { catalogues, locales, translate, translateError, type MessageKey } from '../../shared/i18n/index.ts';
import { errorCodes } from '../../shared/result.ts';

/**
 * Every stable error code the core, CLI or host can answer with has its own sentence in 中文, English and
 * Deutsch under `errorCode.<code>`, so staff never read a raw code or the core's English message; and no
 * sentence stays behind for a code that was removed.
 */
describe('error texts', () => {
  const prefix = 'errorCode.';

  it('every error code has its sentence in every language', () => {
    const missing: string[] = [];
    for (const code of errorCodes) {
      for (const locale of locales) {
        const text = (catalogues[locale] as Record<string, string | undefined>)[`${prefix}${code}`];
        if (text === undefined || text.trim() === '' || text.trim() === code) missing.push(`${locale} ${code}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('no sentence is kept for a code that no longer exists', () => {
    const known = new Set<string>(errorCodes);
    for (const locale of locales) {
      const stale = Object.keys(catalogues[locale])
        .filter((key) => key.startsWith(prefix))
        .map((key) => key.slice(prefix.length))
        .filter((code) => !known.has(code));
      expect(stale, locale).toEqual([]);
    }
  });

  it('each sentence is written in its language and needs no parameters', () => {
    for (const code of errorCodes) {
      const key = `${prefix}${code}` as MessageKey;
      // Shown wherever a call is refused, with nothing to fill in: a placeholder would reach the screen raw.
      for (const locale of locales) expect(catalogues[locale][key], `${locale} ${code}`).not.toMatch(/\{\w+\}/);
      expect(catalogues['zh-CN'][key], code).toMatch(/\p{Script=Han}/u);
      expect(catalogues.de[key], code).not.toBe(catalogues.en[key]);
    }
  });

  it('translateError gives the sentence, and names a code this build does not know', () => {
    expect(translateError('de', { code: 'forum_full' })).toBe(translate('de', 'errorCode.forum_full'));
    expect(translateError('zh-CN', { code: 'bad_pin' })).toBe('姓名或密码错误。');
    expect(translateError('en', { code: 'from_a_newer_core' })).toBe('Something went wrong: from_a_newer_core');
  });
});
