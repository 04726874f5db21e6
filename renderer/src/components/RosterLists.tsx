import { useEffect, useState } from 'react';
import type { RosterListView } from '../../../shared/roster/contract-types.ts';
import { api } from '../api/client.ts';
import { useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';

/** The guest lists with their counts and last import; read again whenever `version` changes (after an import). */
export function RosterLists({ version }: { version: number }) {
  const t = useT();
  const locale = useKiosk((s) => s.locale);
  const timeZone = useKiosk((s) => s.status?.event?.timezone ?? 'UTC');
  const [lists, setLists] = useState<{ lists: RosterListView[]; unlisted: number } | null>(null);
  useEffect(() => {
    let current = true;
    void api['roster.lists']({}).then((r) => current && r.ok && setLists(r.value));
    return () => {
      current = false;
    };
  }, [version]);
  if (lists === null) return null;
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23', timeZone });
  return (
    <div className="roster-lists" data-testid="roster-lists">
      <h3>{t('roster.listsHeading')}</h3>
      {lists.lists.length === 0 ? (
        <p>{t('roster.noLists')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('roster.list')}</th>
              <th className="number">{t('roster.listGuests')}</th>
              <th>{t('roster.listLastImport')}</th>
              <th>{t('roster.listFile')}</th>
            </tr>
          </thead>
          <tbody>
            {lists.lists.map((l) => (
              <tr key={l.id} data-list={l.name}>
                <td>{l.name}</td>
                <td className="number" data-testid="list-guests">
                  {l.guests}
                </td>
                <td>{when.format(new Date(l.lastImportAt))}</td>
                <td>{l.lastFileName}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {lists.unlisted > 0 && <p className="muted">{t('roster.unlisted', { count: lists.unlisted })}</p>}
    </div>
  );
}
