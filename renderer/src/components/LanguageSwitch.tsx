import { locales, type Locale } from '../../../shared/i18n/index.ts';
import { useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';

const LABELS: Record<Locale, string> = { 'zh-CN': '中文', en: 'English', de: 'Deutsch' };

export function LanguageSwitch() {
  const t = useT();
  const locale = useKiosk((s) => s.locale);
  const setLocale = useKiosk((s) => s.setLocale);
  return (
    <div className="lang" role="group" aria-label={t('lang.label')}>
      {locales.map((l) => (
        <button
          key={l}
          type="button"
          data-testid={`lang-${l}`}
          aria-pressed={l === locale}
          onClick={() => setLocale(l)}
        >
          {LABELS[l]}
        </button>
      ))}
    </div>
  );
}
