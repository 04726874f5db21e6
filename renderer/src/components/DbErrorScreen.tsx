import type { LanyardError } from '../../../shared/result.ts';
import { useErrorText, useT } from '../i18n.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';

/** A clear screen instead of a crash: what is wrong, where the file is, and that it was not touched. */
export function DbErrorScreen({ error, dataDir }: { error: LanyardError; dataDir: string }) {
  const t = useT();
  const errorText = useErrorText();
  return (
    <main className="db-error" data-testid="db-error" data-code={error.code}>
      <LanguageSwitch />
      <h1>{t('error.heading')}</h1>
      <p className="reason">{errorText(error)}</p>
      {dataDir && <p className="path">{t('error.dataDir', { dir: dataDir })}</p>}
      <pre>
        {error.code}: {error.message}
      </pre>
    </main>
  );
}
