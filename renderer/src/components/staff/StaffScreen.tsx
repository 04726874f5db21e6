import { useEffect, useState } from 'react';
import type { LanyardError } from '../../../../shared/result.ts';
import { staffRoles, type StaffRole } from '../../../../shared/staff/schemas.ts';
import { api } from '../../api/client.ts';
import { useErrorText, useT } from '../../i18n.ts';
import { useStaff } from '../../staff-store.ts';

/**
 * Staff management: everyone may look, changes need a supervisor (the core asks; the prompt appears).
 * The first staff member must be a supervisor, so nobody is ever locked out of approving.
 */
export function StaffScreen() {
  const t = useT();
  const errorText = useErrorText();
  const staff = useStaff((s) => s.staff);
  const session = useStaff((s) => s.session);
  const loadStaff = useStaff((s) => s.loadStaff);
  const refresh = useStaff((s) => s.refresh);
  const [form, setForm] = useState({ name: '', role: 'supervisor' as StaffRole, pin: '' });
  const [minutes, setMinutes] = useState('');
  const [message, setMessage] = useState<{ error: LanyardError | null; text: string } | null>(null);
  useEffect(() => {
    void loadStaff();
  }, [loadStaff]);
  useEffect(() => {
    if (session !== null) setMinutes(String(session.undoWindowMinutes));
  }, [session]);
  const show = (error: LanyardError) =>
    setMessage({ error, text: error.code === 'invalid_input' ? t('staff.invalidInput') : errorText(error) });
  const after = async () => {
    await Promise.all([loadStaff(), refresh()]);
  };

  return (
    <section className="staff-screen" data-testid="staff-screen">
      <h2>{t('staff.heading')}</h2>
      <p>{t('staff.intro')}</p>
      {staff.length === 0 ? (
        <p data-testid="staff-none">{t('staff.none')}</p>
      ) : (
        <table>
          <tbody>
            {staff.map((m) => (
              <tr key={m.id} data-testid="staff-row">
                <td>{m.name}</td>
                <td>{t(`staff.role.${m.role}`)}</td>
                <td>
                  <button
                    type="button"
                    onClick={() =>
                      void api['staff.remove']({ staffId: m.id }).then(async (r) => {
                        if (!r.ok) show(r.error);
                        else setMessage(null);
                        await after();
                      })
                    }
                  >
                    {t('staff.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="staff-add"
        data-testid="staff-add"
        onSubmit={(e) => {
          e.preventDefault();
          void api['staff.add'](form).then(async (r) => {
            if (r.ok) setForm({ name: '', role: 'door', pin: '' });
            // The list first, then the message: said before the list was loaded again, "Jörg Weiß added"
            // stood over a list without him (seen under load: the e2e test counted 3 rows, not 4).
            await after();
            if (!r.ok) show(r.error);
            else setMessage({ error: null, text: t('staff.added', { name: r.value.name }) });
          });
        }}
      >
        <input
          aria-label={t('staff.name')}
          placeholder={t('staff.name')}
          name="name"
          required
          maxLength={80}
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <select
          aria-label={t('staff.role')}
          name="role"
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.target.value as StaffRole })}
        >
          {staffRoles.map((r) => (
            <option key={r} value={r}>
              {t(`staff.role.${r}`)}
            </option>
          ))}
        </select>
        <input
          aria-label={t('staff.pin')}
          placeholder={t('staff.pin')}
          name="pin"
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          required
          maxLength={12}
          value={form.pin}
          onChange={(e) => setForm({ ...form, pin: e.target.value })}
        />
        <button type="submit" className="primary" data-testid="staff-add-submit">
          {t('staff.add')}
        </button>
      </form>
      <form
        className="staff-undo"
        onSubmit={(e) => {
          e.preventDefault();
          void api['staff.setUndoWindow']({ minutes: Number(minutes) }).then(async (r) => {
            if (!r.ok) show(r.error);
            await after();
          });
        }}
      >
        <label>
          {t('staff.undoWindow')}
          <input
            name="undoWindow"
            type="number"
            min={0}
            max={1440}
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
          />
        </label>
        <button type="submit">{t('staff.save')}</button>
      </form>
      {message && (
        <p className={message.error ? 'bad' : 'good'} role="status" data-testid="staff-message">
          {message.text}
        </p>
      )}
    </section>
  );
}
