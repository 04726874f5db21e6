import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../shared/contract.ts';
import { api } from '../api/client.ts';
import { useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';

type Policy = MethodOutput<'codes.policy'>;

/**
 * The event's badge-code option: short codes without personal data (the default), or the long form that
 * carries name and organisation so a kiosk without the roster can still greet — with its cost in digits
 * and in scan time, so organisers choose knowingly (R15, R16).
 */
export function BadgeCodePolicy() {
  const t = useT();
  const locale = useKiosk((s) => s.locale);
  const [policy, setPolicy] = useState<Policy | null>(null);
  useEffect(() => {
    void api['codes.policy']({}).then((r) => r.ok && setPolicy(r.value));
  }, []);
  if (policy === null) return null;
  const seconds = (ms: number) =>
    new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(ms / 1000);
  return (
    <fieldset data-testid="badge-code-policy">
      <legend>{t('badge.codeHeading')}</legend>
      <p data-testid="badge-code-short-cost">
        {t('badge.codeShortCost', {
          digits: policy.rosterDigits,
          walkInDigits: policy.walkInDigits,
          seconds: seconds(policy.rosterScanMs),
        })}
      </p>
      <label>
        <input
          type="checkbox"
          data-testid="badge-code-details"
          checked={policy.carryDetails}
          onChange={(e) => {
            void api['codes.setPolicy']({ carryDetails: e.target.checked }).then((r) => r.ok && setPolicy(r.value));
          }}
        />{' '}
        {t('badge.codeCarryDetails')}
      </label>
      {policy.detailedDigits !== null && policy.detailedScanMs !== null && (
        <p data-testid="badge-code-details-cost">
          {t('badge.codeDetailsCost', { digits: policy.detailedDigits, seconds: seconds(policy.detailedScanMs) })}
        </p>
      )}
    </fieldset>
  );
}
