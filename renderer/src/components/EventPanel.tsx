import { useState } from 'react';
import type { BadgeSize } from '../../../shared/badges/templates.ts';
import { api } from '../api/client.ts';
import { useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';
import { EventForm, valuesOf, type EventFormValues } from './EventForm.tsx';

/** The event as set up (name, times in its zone, venue), with Edit for a supervisor. */
export function EventPanel() {
  const t = useT();
  const locale = useKiosk((s) => s.locale);
  const event = useKiosk((s) => s.status?.event);
  const [editing, setEditing] = useState<EventFormValues | null>(null);
  if (!event) return null;
  const name = locale === 'zh-CN' ? event.name.zh : locale === 'de' ? event.name.de : event.name.en;
  const venue = locale === 'zh-CN' ? event.venue.zh : locale === 'de' ? event.venue.de : event.venue.en;
  const time = (iso: string) => (iso === '' ? '—' : iso.slice(0, 16).replace('T', ' '));

  const openEditor = async () => {
    const r = await api['event.show']({});
    if (r.ok) setEditing(valuesOf(r.value.event, r.value.badgeSize as BadgeSize, r.value.logoDataUrl));
  };

  if (editing !== null) {
    return (
      <section className="event-panel">
        <EventForm initial={editing} onDone={() => setEditing(null)} onCancel={() => setEditing(null)} />
      </section>
    );
  }
  return (
    <section className="event-panel" data-testid="event-panel">
      <div>
        <strong>{name}</strong>
        <div>
          {t('eventForm.when', { starts: time(event.startsAt), ends: time(event.endsAt), timezone: event.timezone })}
          {venue && ` · ${venue}`}
        </div>
      </div>
      <button type="button" data-testid="event-edit" onClick={() => void openEditor()}>
        {t('eventForm.edit')}
      </button>
    </section>
  );
}
