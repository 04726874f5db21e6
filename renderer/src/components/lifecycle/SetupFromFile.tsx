import { useState } from 'react';
import type { LanyardError } from '../../../../shared/result.ts';
import { api } from '../../api/client.ts';
import { useErrorText, useT } from '../../i18n.ts';
import { useKiosk } from '../../store.ts';

/** Welcome screen → Set up from a file: another kiosk's event set-up file (from a USB stick) and its passphrase. */
export function SetupFromFile({ onClose }: { onClose: () => void }) {
  const t = useT();
  const errorText = useErrorText();
  const refreshStatus = useKiosk((s) => s.refreshStatus);
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<LanyardError | null>(null);

  const submit = async () => {
    if (file === null) return;
    setBusy(true);
    setError(null);
    const result = await api['handoff.setupFromFile']({ text: await file.text(), passphrase });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    onClose();
    await refreshStatus();
  };

  return (
    <div className="dialog-backdrop">
      <form
        className="dialog"
        data-testid="setup-file-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2>{t('welcome.setupFromFile')}</h2>
        <label>
          {t('handoff.fileLabel')}
          <input
            type="file"
            accept=".json,application/json"
            data-testid="setup-file-input"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <label>
          {t('handoff.passphrase')}
          <input
            type="password"
            data-testid="setup-file-passphrase"
            autoComplete="off"
            value={passphrase}
            maxLength={200}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </label>
        {error && (
          <p className="bad" role="alert" data-testid="setup-file-error">
            {errorText(error)}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t('handoff.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="setup-file-submit" disabled={file === null || busy}>
            {t('handoff.setup')}
          </button>
        </div>
      </form>
    </div>
  );
}
