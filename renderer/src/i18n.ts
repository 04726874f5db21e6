import type { LocalizedText } from '../../shared/domain.ts';
import { translate, type MessageKey } from '../../shared/i18n/index.ts';
import { useKiosk } from './store.ts';

/** `const t = useT(); t('door.undo')` — re-renders when the staff switch language. */
export function useT(): (key: MessageKey, params?: Record<string, string | number>) => string {
  const locale = useKiosk((s) => s.locale);
  return (key, params) => translate(locale, key, params ?? {});
}

export function useTimeFormat(): (iso: string) => string {
  const locale = useKiosk((s) => s.locale);
  const timeZone = useKiosk((s) => s.status?.event?.timezone ?? 'UTC');
  const format = new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone,
  });
  return (iso) => format.format(new Date(iso));
}

/** A forum's name in the current UI language. */
export function useForumName(): (forum: { name: LocalizedText }) => string {
  const locale = useKiosk((s) => s.locale);
  return (forum) => (locale === 'zh-CN' ? forum.name.zh : locale === 'de' ? forum.name.de : forum.name.en);
}
