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
