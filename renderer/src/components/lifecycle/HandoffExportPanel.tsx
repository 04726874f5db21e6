import { useState } from 'react';
import { api } from '../../api/client.ts';
import { useErrorText, useT } from '../../i18n.ts';

/** Settings → Export event setup: one file for another kiosk, its secrets sealed with a passphrase. */
export function HandoffExportPanel() {
  const t = useT();
  const errorText = useErrorText();
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');

  const exportSetup = async () => {
    setBusy(true);
    const result = await api['handoff.exportSetup']({ passphrase });
    setBusy(false);
    if (!result.ok) {
      setMessage(errorText(result.error));
      return;
    }
    const { fileName, text, guests, deviceKeyId } = result.value;
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setPassphrase('');
    setMessage(t('handoff.exportedSealed', { file: fileName, guests, keyId: deviceKeyId ?? '—' }));
  };

  return (
    <section className="settings-panel" data-testid="handoff-export">
      <h2>{t('handoff.exportHeading')}</h2>
      <p>{t('handoff.exportBody')}</p>
      <form
        className="settings-row"
        onSubmit={(e) => {
          e.preventDefault();
          void exportSetup();
        }}
      >
        <label>
          {t('handoff.passphraseNew')}
          <input
            type="password"
            autoComplete="new-password"
            data-testid="handoff-passphrase"
            value={passphrase}
            minLength={8}
            maxLength={200}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </label>
        <button type="submit" data-testid="handoff-export-button" disabled={busy || passphrase.length < 8}>
          {t('handoff.export')}
        </button>
      </form>
      {message && <p data-testid="handoff-export-message">{message}</p>}
    </section>
  );
}
