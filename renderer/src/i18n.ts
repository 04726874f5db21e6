import { DEFAULT_DOOR, DEFAULT_OPERATOR, type LocalizedText } from '../../shared/domain.ts';
import { translate, translateError, type MessageKey } from '../../shared/i18n/index.ts';
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

/** "2 minutes ago" in the current UI language, from an ISO time; `now` is passed so callers re-render with it. */
export function useRelativeTime(): (iso: string, now: number) => string {
  const locale = useKiosk((s) => s.locale);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  return (iso, now) => {
    const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
    if (Math.abs(seconds) < 45) return format.format(0, 'second');
    const minutes = Math.round(seconds / 60);
    if (Math.abs(minutes) < 60) return format.format(minutes, 'minute');
    const hours = Math.round(minutes / 60);
    if (Math.abs(hours) < 24) return format.format(hours, 'hour');
    return format.format(Math.round(hours / 24), 'day');
  };
}

/** A refused call in the staff's language (`translateError`); re-renders when they switch language. */
export function useErrorText(): (error: { code: string }) => string {
  const locale = useKiosk((s) => s.locale);
  return (error) => translateError(locale, error);
}

/** The kiosk's default door and staff names ("Door 1", "staff") in the UI language; named ones as they are. */
export function useDoorName(): (door: string) => string {
  const t = useT();
  return (door) =>
    door === DEFAULT_DOOR ? t('door.defaultDoor') : door === DEFAULT_OPERATOR ? t('door.defaultOperator') : door;
}
