import { useState } from 'react';
import { badgeSizes, type BadgeSize } from '../../../shared/badges/templates.ts';
import type { EventInfo, LocalizedText } from '../../../shared/domain.ts';
import type { LanyardError } from '../../../shared/result.ts';
import { browserTimeZone, createEvent, errorField, setupErrorText, timeZones, updateEvent } from '../event-setup.ts';
import { useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';

const MAX_LOGO_BYTES = 300_000;
const langs = [
  ['zh', 'eventForm.nameZh'],
  ['en', 'eventForm.nameEn'],
  ['de', 'eventForm.nameDe'],
] as const;

export interface EventFormValues {
  name: LocalizedText;
  startsAt: string;
  endsAt: string;
  timezone: string;
  venue: string;
  badgeSize: BadgeSize;
  logoDataUrl: string;
}

/** A stored event time (`2026-06-01T09:00:00+02:00`) as the wall time a datetime-local field shows. */
const wall = (iso: string) => iso.slice(0, 16);

export function valuesOf(event: EventInfo, badgeSize: BadgeSize, logoDataUrl: string): EventFormValues {
  return {
    name: event.name,
    startsAt: wall(event.startsAt),
    endsAt: wall(event.endsAt),
    timezone: event.timezone,
    venue: event.venue.en,
    badgeSize,
    logoDataUrl,
  };
}

const blank = (): EventFormValues => ({
  name: { zh: '', en: '', de: '' },
  startsAt: '',
  endsAt: '',
  timezone: browserTimeZone(),
  venue: '',
  badgeSize: 'cr80',
  logoDataUrl: '',
});

/**
 * Creating an event (the welcome screen) or editing it (Sub-forums view): names in three languages (at
 * least one), start and end in the event's time zone, venue, badge size, logo. Errors appear beside the
 * field they concern.
 */
export function EventForm(props: { initial?: EventFormValues; onDone: () => void; onCancel: () => void }) {
  const t = useT();
  const locale = useKiosk((s) => s.locale);
  const editing = props.initial !== undefined;
  const [v, setValues] = useState<EventFormValues>(props.initial ?? blank);
  const [error, setError] = useState<LanyardError | null>(null);
  // An error stays until the organiser changes something: then it is about a form that no longer exists.
  const setV = (next: EventFormValues | ((current: EventFormValues) => EventFormValues)) => {
    setValues(next);
    setError(null);
  };
  const [busy, setBusy] = useState(false);
  const field = errorField(error);
  const message = error === null ? '' : setupErrorText(locale, error);
  const zones = timeZones();

  const submit = async () => {
    setBusy(true);
    const venue = editing ? { zh: v.venue, en: v.venue, de: v.venue } : { en: v.venue };
    const common = { startsAt: v.startsAt, endsAt: v.endsAt, timezone: v.timezone, badgeSize: v.badgeSize };
    const r = editing
      ? await updateEvent({ ...common, name: v.name, venue, logoDataUrl: v.logoDataUrl })
      : await createEvent({ ...common, name: v.name, venue, logoDataUrl: v.logoDataUrl });
    setBusy(false);
    if (r.ok) props.onDone();
    else setError(r.error);
  };

  return (
    <form
      className="event-form"
      data-testid="event-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>{t(editing ? 'eventForm.editHeading' : 'eventForm.heading')}</h2>
      <fieldset className={field === 'name' ? 'invalid' : ''}>
        <legend>{t('eventForm.nameHint')}</legend>
        {langs.map(([lang, label], i) => (
          <label key={lang}>
            {t(label)}
            <input
              name={`event-name-${lang}`}
              value={v.name[lang]}
              maxLength={200}
              autoFocus={i === (locale === 'zh-CN' ? 0 : locale === 'en' ? 1 : 2)}
              onChange={(e) => setV({ ...v, name: { ...v.name, [lang]: e.target.value } })}
            />
          </label>
        ))}
        {field === 'name' && (
          <p className="bad" role="alert">
            {message}
          </p>
        )}
      </fieldset>
      <div className={`row ${field === 'time' || field === 'timezone' ? 'invalid' : ''}`}>
        <label>
          {t('eventForm.starts')}
          <input
            type="datetime-local"
            name="event-starts"
            value={v.startsAt}
            onChange={(e) => setV({ ...v, startsAt: e.target.value })}
          />
        </label>
        <label>
          {t('eventForm.ends')}
          <input
            type="datetime-local"
            name="event-ends"
            value={v.endsAt}
            onChange={(e) => setV({ ...v, endsAt: e.target.value })}
          />
        </label>
        <label>
          {t('eventForm.timezone')}
          <input
            name="event-timezone"
            list="event-timezones"
            value={v.timezone}
            onChange={(e) => setV({ ...v, timezone: e.target.value })}
          />
          <datalist id="event-timezones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </label>
      </div>
      {(field === 'time' || field === 'timezone') && (
        <p className="bad" role="alert">
          {message}
        </p>
      )}
      <label>
        {t('eventForm.venue')}
        <input
          name="event-venue"
          value={v.venue}
          maxLength={200}
          onChange={(e) => setV({ ...v, venue: e.target.value })}
        />
      </label>
      <div className="row">
        <label>
          {t('badge.defaultSize')}
          <select
            name="event-badge-size"
            value={v.badgeSize}
            onChange={(e) => setV({ ...v, badgeSize: e.target.value as BadgeSize })}
          >
            {(Object.keys(badgeSizes) as BadgeSize[]).map((s) => (
              <option key={s} value={s}>
                {badgeSizes[s].label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('badge.logo')}
          <input
            type="file"
            name="event-logo"
            accept="image/png,image/jpeg,image/svg+xml"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              if (file.size > MAX_LOGO_BYTES) {
                setError({ code: 'invalid_input', message: t('eventForm.logoTooBig') });
                return;
              }
              const reader = new FileReader();
              reader.onload = () => setV((current) => ({ ...current, logoDataUrl: String(reader.result) }));
              reader.readAsDataURL(file);
            }}
          />
          {v.logoDataUrl && <img src={v.logoDataUrl} alt="" className="logo-preview" />}
        </label>
      </div>
      {field === 'other' && (
        <p className="bad" role="alert">
          {message}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={props.onCancel}>
          {t('eventForm.cancel')}
        </button>
        <button type="submit" className="primary" data-testid="event-submit" disabled={busy}>
          {t(editing ? 'eventForm.save' : 'eventForm.create')}
        </button>
      </div>
    </form>
  );
}
