import QRCode from 'qrcode';
import { useCallback, useEffect, useState } from 'react';
import type { HubStatus } from '../../../../shared/hub/status.ts';
import { api } from '../../api/client.ts';
import { useErrorText, useT } from '../../i18n.ts';
import { useKiosk } from '../../store.ts';

const POLL_MS = 1_500;

/** The pairing QR as an image (the page's CSP allows data: images, not inline SVG markup from strings). */
function PairingQr({ text }: { text: string }) {
  const [src, setSrc] = useState('');
  useEffect(() => {
    let live = true;
    void QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 }).then((svg) => {
      if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      live = false;
    };
  }, [text]);
  return src === '' ? null : <img className="hub-qr" data-testid="hub-qr" src={src} alt={text} />;
}

/**
 * Settings → Venue hub: a supervisor makes this laptop the sync server of the venue's network, sees that it
 * listens there and at which address, makes a pairing code (with its QR) for each next door, and stops it.
 */
export function HubPanel() {
  const t = useT();
  const errorText = useErrorText();
  const locale = useKiosk((s) => s.locale);
  const timeZone = useKiosk((s) => s.status?.event?.timezone ?? 'UTC');
  const [status, setStatus] = useState<HubStatus | null>(null);
  // null until the first status: then the hub's last port, which the supervisor may clear and retype.
  const [port, setPort] = useState<string | null>(null);
  const [host, setHost] = useState('');
  const [door, setDoor] = useState('');
  const [message, setMessage] = useState('');

  const load = useCallback(async () => {
    const result = await api['hub.status']({});
    if (result.ok) setStatus(result.value);
  }, []);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load]);
  useEffect(() => {
    if (status !== null && port === null) setPort(String(status.port));
  }, [status, port]);

  const act = async (call: () => Promise<{ ok: true; value: HubStatus } | { ok: false; error: { code: string } }>) => {
    const result = await call();
    if (result.ok) {
      setStatus(result.value);
      setMessage('');
    } else setMessage(errorText(result.error));
  };
  if (status === null) return null;
  const on = status.state === 'on';
  const busy = status.state === 'starting' || status.state === 'stopping';
  // In the event's zone, as every time on the kiosk.
  const until = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone });

  return (
    <section className="settings-panel hub-panel" data-testid="hub-panel" data-state={status.state}>
      <h2>{t('hub.heading')}</h2>
      <p>{t('hub.body')}</p>
      <p className={`hub-state hub-${status.state}`} data-testid="hub-state" role="status">
        <span className="sync-dot" aria-hidden="true" /> {t(`hub.state.${status.state}`)}
      </p>
      {status.state === 'failed' && status.error !== null && (
        <p className="bad" role="alert" data-testid="hub-error" data-code={status.error.code}>
          {t('hub.failed', { reason: errorText(status.error) })}
        </p>
      )}
      {!on && !busy && (
        <form
          className="settings-row"
          onSubmit={(e) => {
            e.preventDefault();
            const chosen = Number(port ?? '');
            const valid = port !== null && port.trim() !== '' && Number.isInteger(chosen);
            void act(() => api['hub.start']({ ...(valid ? { port: chosen } : {}), host }));
          }}
        >
          <label>
            {t('hub.port')}
            <input
              type="number"
              min={1}
              max={65535}
              data-testid="hub-port"
              value={port ?? ''}
              onChange={(e) => setPort(e.target.value)}
            />
          </label>
          <label>
            {t('hub.host')}
            <select data-testid="hub-host" value={host} onChange={(e) => setHost(e.target.value)}>
              <option value="">{status.addresses[0] ?? '0.0.0.0'}</option>
              {status.addresses.slice(1).map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="primary" data-testid="hub-start">
            {t('hub.start')}
          </button>
        </form>
      )}
      {on && (
        <>
          <div className="hub-live" data-testid="hub-live">
            <p className="hub-url" data-testid="hub-url">
              {t('hub.listening', { url: status.url })}
            </p>
            {!status.lan && <p className="bad">{t('hub.noLan')}</p>}
            <p data-testid="hub-doors">{t('hub.doors', { count: status.doors })}</p>
            <p className="hub-admin">{t('hub.adminPage', { url: status.url, file: status.adminTokenFile })}</p>
          </div>
          <form
            className="settings-row"
            onSubmit={(e) => {
              e.preventDefault();
              if (door.trim() === '') return;
              void act(() => api['hub.newPairing']({ name: door }));
            }}
          >
            <label className="wide">
              {t('hub.nextDoor')}
              <input
                data-testid="hub-door-name"
                value={door}
                maxLength={100}
                onChange={(e) => setDoor(e.target.value)}
              />
            </label>
            <button type="submit" className="primary" data-testid="hub-new-code">
              {t('hub.newCode')}
            </button>
          </form>
          {status.pairing !== null && (
            <div className="hub-pairing" data-testid="hub-pairing">
              <PairingQr text={status.pairing.qrText} />
              <dl>
                <dt>{t('pair.url')}</dt>
                <dd data-testid="hub-pairing-url">{status.pairing.url}</dd>
                <dt>{t('pair.code')}</dt>
                <dd className="hub-code" data-testid="hub-pairing-code">
                  {status.pairing.code}
                </dd>
                <dd>{t('hub.pairingFor', { name: status.pairing.name })}</dd>
                <dd>{t('hub.expires', { time: until.format(new Date(status.pairing.expiresAt)) })}</dd>
              </dl>
            </div>
          )}
          <button type="button" data-testid="hub-stop" onClick={() => void act(() => api['hub.stop']({}))}>
            {t('hub.stop')}
          </button>
        </>
      )}
      {message && (
        <p className="bad" role="alert" data-testid="hub-message">
          {message}
        </p>
      )}
    </section>
  );
}
