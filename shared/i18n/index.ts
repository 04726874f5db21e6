import { de } from './de.ts';
import { en, type Catalogue, type MessageKey } from './en.ts';
import { zhCN } from './zh-CN.ts';

export type { MessageKey };
export const locales = ['zh-CN', 'en', 'de'] as const;
export type Locale = (typeof locales)[number];

export const catalogues: Record<Locale, Catalogue> = { 'zh-CN': zhCN, en, de };

/** Looks a message up and fills `{placeholders}`; a missing parameter stays visible rather than vanishing. */
export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogues[locale][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/**
 * A refused call's text: every code of shared/result.ts has its sentence under `errorCode.<code>`
 * (tests/unit/error-texts.test.ts holds that); a code this build does not know — a newer core's or
 * server's — is named as it came. The error's English message is for logs and support, never the text.
 */
export function translateError(locale: Locale, error: { code: string }): string {
  const key = `errorCode.${error.code}`;
  return Object.hasOwn(catalogues.en, key)
    ? translate(locale, key as MessageKey)
    : translate(locale, 'error.generic', { message: error.code });
}

/** Picks the best supported locale for a browser language list (zh-TW etc. fall back to zh-CN). */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('de')) return 'de';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}
