import { useEffect, useState } from 'react';
import { badgeSizes, type BadgeSize } from '../../../shared/badges/templates.ts';
import { roles, type Role } from '../../../shared/domain.ts';
import { api } from '../api/client.ts';
import { useT } from '../i18n.ts';
import { BadgeCodePolicy } from './BadgeCodePolicy.tsx';

type Settings = {
  defaultTemplate: BadgeSize;
  byRole: Partial<Record<Role, BadgeSize>>;
  printOnCheckIn: boolean;
  logoDataUrl: string;
};
const MAX_LOGO_BYTES = 300_000;

/** Organisers choose the label size for the event and per role, and whether check-in prints a badge. */
export function BadgeSettingsPanel() {
  const t = useT();
  const [settings, setSettings] = useState<Settings | null>(null);
  useEffect(() => {
    void api['badges.settings']({}).then((r) => r.ok && setSettings(r.value));
  }, []);
  if (settings === null) return null;
  const save = (next: Settings) => {
    setSettings(next);
    void api['badges.setSettings']({ settings: next });
  };
  const sizes = Object.keys(badgeSizes) as BadgeSize[];
  return (
    <section className="roster-export" data-testid="badge-settings">
      <h2>{t('badge.settingsHeading')}</h2>
      <label>
        {t('badge.defaultSize')}{' '}
        <select
          value={settings.defaultTemplate}
          onChange={(e) => save({ ...settings, defaultTemplate: e.target.value as BadgeSize })}
        >
          {sizes.map((s) => (
            <option key={s} value={s}>
              {t(`badgeSize.${s}`)}
            </option>
          ))}
        </select>
      </label>
      {roles.map((role) => (
        <label key={role}>
          {t(`role.${role}`)}{' '}
          <select
            name={`badge-size-${role}`}
            value={settings.byRole[role] ?? ''}
            onChange={(e) => {
              const byRole = { ...settings.byRole };
              if (e.target.value === '') delete byRole[role];
              else byRole[role] = e.target.value as BadgeSize;
              save({ ...settings, byRole });
            }}
          >
            <option value="">—</option>
            {sizes.map((s) => (
              <option key={s} value={s}>
                {t(`badgeSize.${s}`)}
              </option>
            ))}
          </select>
        </label>
      ))}
      <label>
        {t('badge.logo')}{' '}
        <input
          type="file"
          accept="image/png,image/jpeg,image/svg+xml"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (!file || file.size > MAX_LOGO_BYTES) return;
            const reader = new FileReader();
            reader.onload = () => save({ ...settings, logoDataUrl: String(reader.result) });
            reader.readAsDataURL(file);
          }}
        />
        {settings.logoDataUrl && (
          <img src={settings.logoDataUrl} alt="" style={{ height: '1.6em', verticalAlign: 'middle' }} />
        )}
      </label>
      <label>
        <input
          type="checkbox"
          data-testid="print-on-checkin"
          checked={settings.printOnCheckIn}
          onChange={(e) => save({ ...settings, printOnCheckIn: e.target.checked })}
        />{' '}
        {t('badge.printOnCheckIn')}
      </label>
      <BadgeCodePolicy />
    </section>
  );
}
