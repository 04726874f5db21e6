import { useEffect, useLayoutEffect, useRef } from 'react';
import { useErrorText, useT, useTimeFormat } from '../i18n.ts';
import { playFor } from '../sounds.ts';
import { useKiosk } from '../store.ts';

/** The big coloured answer. `data-latency-ms`: Enter key to this paint, measured in the page. */
export function ResultBanner() {
  const t = useT();
  const time = useTimeFormat();
  const errorText = useErrorText();
  const banner = useKiosk((s) => s.banner);
  const ref = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    if (banner && ref.current) ref.current.dataset['latencyMs'] = (performance.now() - banner.startedAt).toFixed(1);
  }, [banner]);

  // The sound follows the paint: staff see the colour first, and audio set-up never delays it.
  useEffect(() => {
    if (banner?.kind === 'scan') playFor(banner.result.status, banner.result.attention !== null);
    if (banner?.kind === 'error') playFor('unknown_code', false);
  }, [banner]);

  if (banner === null) return null;
  if (banner.kind === 'error') {
    return (
      <div ref={ref} className="banner red" data-testid="banner" data-status="error" role="alert">
        <h2>
          {errorText(banner.error) !== banner.error.message
            ? errorText(banner.error)
            : t('error.generic', { message: banner.error.code })}
        </h2>
        <p>{banner.error.message}</p>
      </div>
    );
  }
  if (banner.kind === 'undone') {
    return (
      <div ref={ref} className="banner grey" data-testid="banner" data-status="undone" role="status">
        <h2>{t('result.undone', { name: banner.guest.name })}</h2>
      </div>
    );
  }
  const { result } = banner;
  const guest = result.guest;
  const colour =
    result.status === 'checked_in'
      ? result.attention !== null
        ? 'attention'
        : 'green'
      : result.status === 'already_checked_in'
        ? 'amber'
        : 'red';
  return (
    <div ref={ref} className={`banner ${colour}`} data-testid="banner" data-status={result.status} role="alert">
      <h2>{t(`result.${result.status}`)}</h2>
      {guest && (
        <p className="who">
          <span className="name" data-testid="banner-name">
            {guest.name}
          </span>
          {guest.latinName && <span className="latin"> {guest.latinName}</span>}
          <span className="org"> · {guest.organization}</span>
        </p>
      )}
      {result.status === 'already_checked_in' && result.firstCheckin && (
        <p data-testid="banner-detail">
          {t('result.alreadyDetail', { time: time(result.firstCheckin.at), door: result.firstCheckin.door })}
        </p>
      )}
      {result.status === 'invalid_code' && (
        <p data-testid="banner-detail">{t('result.invalidDetail', { reason: result.reason })}</p>
      )}
      {result.status === 'unknown_code' && (
        <p data-testid="banner-detail">{t('result.unknownDetail', { code: result.code.slice(0, 64) })}</p>
      )}
      {result.attention !== null && (
        <p className="attention-note" data-testid="banner-attention">
          {t('result.attention')}: {result.attention}
        </p>
      )}
    </div>
  );
}
