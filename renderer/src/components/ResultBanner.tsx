import { useLayoutEffect, useRef } from 'react';
import { useAnswerAge } from '../answer-age.ts';
import { useDoorName, useErrorText, useT, useTimeFormat } from '../i18n.ts';
import { useKiosk } from '../store.ts';
import { ErrorCode } from './ErrorNote.tsx';
import { codeCheckReasons } from '../../../shared/domain.ts';

/**
 * The big coloured answer, always about the last scan: every answer is a new element (a short flash shows
 * that it was replaced, even by the same answer), it says how long ago it was given and fades to neutral
 * after the configured time. Compact while staff type a search, so the results stay on screen.
 * `data-latency-ms`: Enter key to this paint; `data-first-key-ms`: a scanner's first key to this paint.
 */
export function ResultBanner() {
  const t = useT();
  const time = useTimeFormat();
  const errorText = useErrorText();
  const doorName = useDoorName();
  const banner = useKiosk((s) => s.banner);
  const typing = useKiosk((s) => s.query.trim().length > 0);
  const ref = useRef<HTMLDivElement>(null);
  const age = useAnswerAge(banner?.at ?? null);

  useLayoutEffect(() => {
    if (!banner || !ref.current) return;
    const paint = performance.now();
    // Measured once, when the answer first appears (a remount in another place must not change it).
    if (ref.current.dataset['measuredId'] === String(banner.id)) return;
    ref.current.dataset['measuredId'] = String(banner.id);
    ref.current.dataset['latencyMs'] = (paint - banner.startedAt).toFixed(1);
    ref.current.dataset['firstKeyMs'] = (paint - banner.firstKeyAt).toFixed(1);
  }, [banner]);

  if (banner === null) return null;
  const common = {
    ref,
    'data-testid': 'banner',
    'data-faded': age.faded ? 'true' : 'false',
    'data-banner-id': banner.id,
  };
  const classes = (colour: string) => `banner ${colour}${age.faded ? ' faded' : ''}${typing ? ' compact' : ''}`;
  const ago = (
    <span className="ago" data-testid="banner-age">
      {age.label}
    </span>
  );
  if (banner.kind === 'error') {
    return (
      <div key={banner.id} {...common} className={classes('red')} data-status="error" role="alert">
        <h2 data-testid="banner-error" data-code={banner.error.code}>
          {errorText(banner.error)}
          {ago}
        </h2>
        <p className="detail">
          <ErrorCode error={banner.error} />
        </p>
      </div>
    );
  }
  if (banner.kind === 'undone') {
    return (
      <div key={banner.id} {...common} className={classes('grey')} data-status="undone" role="status">
        <h2>
          {t('result.undone', { name: banner.guest.name })}
          {ago}
        </h2>
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
    <div key={banner.id} {...common} className={classes(colour)} data-status={result.status} role="alert">
      <h2>
        {t(`result.${result.status}`)}
        {result.repeat === true && (
          <span className="repeat" data-testid="banner-repeat">
            {' '}
            · {t('result.repeat')}
          </span>
        )}
        {ago}
      </h2>
      {guest && (
        <p className="who">
          <span className="name" data-testid="banner-name">
            {guest.name}
          </span>
          {guest.latinName && <span className="latin"> {guest.latinName}</span>}
          {guest.organization && (
            <span className="org" data-testid="banner-org">
              {guest.organization}
            </span>
          )}
        </p>
      )}
      {result.status === 'already_checked_in' && result.firstCheckin && (
        <p className="detail" data-testid="banner-detail">
          {t('result.alreadyDetail', { time: time(result.firstCheckin.at), door: doorName(result.firstCheckin.door) })}
        </p>
      )}
      {result.status === 'invalid_code' && (
        <p className="detail" data-testid="banner-detail">
          {t('result.invalidDetail', { reason: codeReasonText(t, result.reason) })}
        </p>
      )}
      {result.status === 'unknown_code' && (
        <p className="detail" data-testid="banner-detail">
          {t('result.unknownDetail', { code: result.code.slice(0, 64) })}
        </p>
      )}
      {result.attention !== null && (
        <p className="attention-note" data-testid="banner-attention">
          {t('result.attention')}: {result.attention}
        </p>
      )}
    </div>
  );
}

/** A refused badge code's reason in the screen's language; an unknown reason word is shown as it came. */
function codeReasonText(t: ReturnType<typeof useT>, reason: string): string {
  return (codeCheckReasons as readonly string[]).includes(reason)
    ? t(`codeReason.${reason as (typeof codeCheckReasons)[number]}`)
    : reason;
}
