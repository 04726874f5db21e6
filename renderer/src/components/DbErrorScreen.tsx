import type { MessageKey } from '../../../shared/i18n/index.ts';
import type { LanyardError } from '../../../shared/result.ts';
import { useT } from '../i18n.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';

const KNOWN = new Set(['db_not_lanyard', 'db_too_new', 'db_open_failed', 'db_pragma_mismatch']);

/** A clear screen instead of a crash: what is wrong, where the file is, and that it was not touched. */
export function DbErrorScreen({ error, dataDir }: { error: LanyardError; dataDir: string }) {
  const t = useT();
  const text = KNOWN.has(error.code)
    ? t(`error.${error.code}` as MessageKey)
    : t('error.generic', { message: error.message });
  return (
    <main className="db-error" data-testid="db-error" data-code={error.code}>
      <LanguageSwitch />
      <h1>{t('error.heading')}</h1>
      <p className="reason">{text}</p>
      {dataDir && <p className="path">{t('error.dataDir', { dir: dataDir })}</p>}
      <pre>
        {error.code}: {error.message}
      </pre>
    </main>
  );
}
