import { useCallback, useState } from 'react';
import { useEscape } from '../escape.ts';
import { useRelativeTime, useT } from '../i18n.ts';
import { parsePairingQr } from '../pairing.ts';
import { useSync } from '../sync-store.ts';
import { syncErrorText } from '../sync-text.ts';
import { WebcamScanner } from './WebcamScanner.tsx';

/**
 * "Connect to server": pairs this kiosk with the event server (typed, or from the pairing QR
 * `lanyard-pair:<url>#<code>`), shows the connection when paired, and offers "Sync now".
 */
export function SyncDialog() {
  const t = useT();
  const ago = useRelativeTime();
  const status = useSync((s) => s.status);
  const pairing = useSync((s) => s.pairing);
  const actionError = useSync((s) => s.actionError);
  const { openDialog, pair, syncNow } = useSync.getState();
  const [url, setUrl] = useState(status?.serverUrl ?? '');
  const [code, setCode] = useState('');
  const [camera, setCamera] = useState(false);
  const [notPairing, setNotPairing] = useState(false);
  const [showForm, setShowForm] = useState(false);
  const waiting = pairing.phase === 'waiting';
  const close = useCallback(() => openDialog(false), [openDialog]);
  useEscape(close);
  const paired = status?.paired === true && status.state !== 'reauth';
  const now = Date.now();

  const onCode = (text: string): void => {
    const parsed = parsePairingQr(text);
    setNotPairing(parsed === null);
    if (parsed === null) return;
    setUrl(parsed.url);
    setCode(parsed.code);
    setCamera(false);
  };

  return (
    <div className="dialog-backdrop">
      <div className="dialog sync-dialog" data-testid="sync-dialog" role="dialog" aria-labelledby="sync-dialog-heading">
        <h2 id="sync-dialog-heading">{t('pair.heading')}</h2>
        {status && (
          <p className={`sync-status sync-${status.state}`} data-testid="sync-dialog-state" data-state={status.state}>
            <span className="sync-dot" aria-hidden="true" /> {t(`sync.state.${status.state}`)}
          </p>
        )}
        {status?.state === 'reauth' && <p>{t('pair.reauth')}</p>}
        {status?.state === 'unpaired' && !waiting && <p>{t('pair.unpaired')}</p>}
        {status?.paired && (
          <ul className="sync-details">
            <li data-testid="sync-server">{t('pair.connected', { url: status.serverUrl })}</li>
            {status.eventId !== '' && <li>{t('pair.event', { id: status.eventId })}</li>}
            <li>
              {status.lastSyncAt === null ? t('sync.never') : t('sync.last', { ago: ago(status.lastSyncAt, now) })}
              {status.pending > 0 && ` · ${t('sync.pending', { count: status.pending })}`}
            </li>
            {status.nextAttemptAt !== null && status.state === 'offline' && (
              <li>{t('pair.nextAttempt', { ago: ago(status.nextAttemptAt, now) })}</li>
            )}
            {status.lastError !== null && (
              <li className="bad" data-testid="sync-last-error" data-code={status.lastError.code}>
                {t('pair.lastError', { reason: syncErrorText(t, status.lastError) })}
              </li>
            )}
          </ul>
        )}
        {paired && !showForm && !waiting ? (
          <button type="button" className="quiet" data-testid="pair-again" onClick={() => setShowForm(true)}>
            {t('pair.again')}
          </button>
        ) : (
          <form
            className="pair-form"
            data-testid="pair-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (url.trim() === '' || code.trim() === '' || waiting) return;
              void pair(url, code);
            }}
          >
            <label>
              {t('pair.url')}
              <input
                name="url"
                data-testid="pair-url"
                inputMode="url"
                placeholder="http://10.0.0.5:8080"
                required
                value={url}
                disabled={waiting}
                onChange={(e) => setUrl(e.target.value)}
              />
            </label>
            <label>
              {t('pair.code')}
              <input
                name="code"
                data-testid="pair-code"
                autoComplete="off"
                spellCheck={false}
                required
                value={code}
                disabled={waiting}
                onChange={(e) => setCode(e.target.value)}
              />
            </label>
            <div className="actions">
              <button
                type="button"
                aria-pressed={camera}
                data-testid="pair-scan"
                disabled={waiting}
                onClick={() => {
                  setNotPairing(false);
                  setCamera(!camera);
                }}
              >
                {camera ? t('pair.scanStop') : t('pair.scan')}
              </button>
              <button
                type="submit"
                className="primary"
                data-testid="pair-submit"
                disabled={waiting || status?.state === 'syncing'}
              >
                {t('pair.submit')}
              </button>
            </div>
            {camera && (
              <div className="pair-camera">
                <p>{t('pair.scanHint')}</p>
                <WebcamScanner onCode={onCode} />
              </div>
            )}
            {notPairing && (
              <p className="bad" data-testid="pair-not-qr">
                {t('pair.notPairingQr')}
              </p>
            )}
          </form>
        )}
        {waiting && (
          <p className="progress" data-testid="pair-progress" role="status">
            <span className="spinner" aria-hidden="true" /> {t('pair.progress')}
          </p>
        )}
        {pairing.phase === 'failed' && (
          <p className="bad" role="alert" data-testid="pair-error" data-code={pairing.error.code}>
            {t('pair.failed', { reason: syncErrorText(t, pairing.error) })}
          </p>
        )}
        {actionError && (
          <p className="bad" role="alert" data-testid="sync-action-error" data-code={actionError.code}>
            {syncErrorText(t, actionError)}
          </p>
        )}
        <div className="actions">
          {status?.paired && status.state !== 'reauth' && (
            <button
              type="button"
              data-testid="sync-now"
              disabled={waiting || status.state === 'syncing'}
              onClick={() => void syncNow()}
            >
              {t('sync.now')}
            </button>
          )}
          <button type="button" data-testid="sync-dialog-close" onClick={() => openDialog(false)}>
            {t('pair.close')}
          </button>
        </div>
      </div>
    </div>
  );
}
