import { useCallback, useState } from 'react';
import { useEscape } from '../escape.ts';
import { roles, type Role } from '../../../shared/domain.ts';
import type { LanyardError } from '../../../shared/result.ts';
import { useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';
import { ErrorNote } from './ErrorNote.tsx';

export function WalkInDialog() {
  const t = useT();
  const walkIn = useKiosk((s) => s.walkIn);
  const close = useKiosk((s) => s.setWalkInOpen);
  const [form, setForm] = useState({ name: '', organization: '', email: '', role: 'guest' as Role });
  const [error, setError] = useState<LanyardError | null>(null);
  const closeDialog = useCallback(() => close(false), [close]);
  useEscape(closeDialog);
  const field = (key: 'name' | 'organization' | 'email') => ({
    value: form[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.target.value }),
  });
  return (
    <div className="dialog-backdrop">
      <form
        className="dialog"
        data-testid="walk-in-form"
        aria-label={t('walkIn.heading')}
        onSubmit={(e) => {
          e.preventDefault();
          void walkIn(form).then(setError);
        }}
      >
        <h2>{t('walkIn.heading')}</h2>
        <label>
          {t('walkIn.name')}
          <input name="name" required autoFocus {...field('name')} />
        </label>
        <label>
          {t('walkIn.organization')}
          <input name="organization" {...field('organization')} />
        </label>
        <label>
          {t('walkIn.email')}
          <input name="email" type="email" {...field('email')} />
        </label>
        <label>
          {t('walkIn.role')}
          <select name="role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        {error && <ErrorNote error={error} testId="walk-in-error" />}
        <div className="actions">
          <button type="button" data-testid="walk-in-cancel" onClick={closeDialog}>
            {t('walkIn.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="walk-in-submit">
            {t('walkIn.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
