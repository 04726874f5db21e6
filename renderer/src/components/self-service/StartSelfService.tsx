import { useState } from 'react';
import type { LanyardError } from '../../../../shared/result.ts';
import { api } from '../../api/client.ts';
import { useT } from '../../i18n.ts';
import { useSelfService } from '../../self-service-store.ts';
import { ErrorNote } from '../ErrorNote.tsx';

/**
 * The door's switch to self-service. Door staff are asked for a supervisor's PIN (the core's gate, through
 * the supervisor prompt); a kiosk without a supervisor is refused, as nobody could switch it back.
 */
export function StartSelfService() {
  const t = useT();
  const refresh = useSelfService((s) => s.refresh);
  const [error, setError] = useState<LanyardError | null>(null);
  return (
    <>
      <button
        type="button"
        data-testid="self-service-start"
        onClick={() => {
          void api['selfService.start']({}).then(async (r) => {
            setError(r.ok || r.error.code === 'supervisor_required' ? null : r.error);
            if (r.ok) await useSelfService.getState().handOver();
            else await refresh();
          });
        }}
      >
        {t('selfService.start')}
      </button>
      {error && <ErrorNote error={error} testId="self-service-start-error" />}
    </>
  );
}
