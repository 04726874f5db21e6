import { useState } from 'react';
import { api } from '../api/client.ts';
import { useDoorName, useForumName, useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';
import { useSync } from '../sync-store.ts';

/** The door name and the staff member on duty: shown on every check-in and recorded in the audit trail. */
export function DoorSettings() {
  const t = useT();
  const device = useKiosk((s) => s.status?.device);
  const refreshStatus = useKiosk((s) => s.refreshStatus);
  const openSyncDialog = useSync((s) => s.openDialog);
  const [editing, setEditing] = useState(false);
  const [door, setDoor] = useState('');
  const [operator, setOperator] = useState('');
  const [forumDoor, setForumDoor] = useState('');
  const forumName = useForumName();
  const forums = useKiosk((s) => s.status?.event?.forums ?? []);
  const doorName = useDoorName();
  const fadeSeconds = useKiosk((s) => s.bannerFadeSeconds);
  const setFadeSeconds = useKiosk((s) => s.setBannerFadeSeconds);
  const [fade, setFade] = useState('');
  if (!device) return null;
  if (!editing) {
    return (
      <button
        type="button"
        className="quiet door-line"
        data-testid="door-settings"
        onClick={() => {
          setDoor(doorName(device.door));
          setOperator(doorName(device.operator));
          setFade(String(fadeSeconds));
          setForumDoor(device.forumDoor);
          setEditing(true);
        }}
      >
        {t('door.doorName')}: {doorName(device.door)} · {t('door.operator')}: {doorName(device.operator)}
        {device.forumDoor !== '' &&
          ` · ${t('forum.roomDoor', { name: forumName(forums.find((f) => f.id === device.forumDoor) ?? { name: { zh: '', en: '', de: '' } }) })}`}
      </button>
    );
  }
  return (
    <form
      className="door-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (door.trim() === '' || operator.trim() === '') return;
        const seconds = Number(fade);
        if (Number.isFinite(seconds) && seconds > 0) setFadeSeconds(seconds);
        void Promise.all([
          api['device.update']({ door, operator }),
          api['device.setForumDoor']({ forumId: forumDoor }),
        ]).then(async () => {
          setEditing(false);
          await refreshStatus();
        });
      }}
    >
      <input
        aria-label={t('door.doorName')}
        name="door"
        value={door}
        maxLength={80}
        onChange={(e) => setDoor(e.target.value)}
        autoFocus
      />
      <input
        aria-label={t('door.operator')}
        name="operator"
        value={operator}
        maxLength={80}
        onChange={(e) => setOperator(e.target.value)}
      />
      <select
        aria-label={t('forum.doorMode')}
        name="forumDoor"
        value={forumDoor}
        onChange={(e) => setForumDoor(e.target.value)}
      >
        <option value="">{t('forum.venueDoor')}</option>
        {forums.map((f) => (
          <option key={f.id} value={f.id}>
            {t('forum.roomDoor', { name: `${forumName(f)} · ${f.room}` })}
          </option>
        ))}
      </select>
      <label className="fade-setting">
        {t('door.bannerFade')}
        <input
          name="bannerFade"
          type="number"
          min={3}
          max={600}
          data-testid="banner-fade"
          value={fade}
          onChange={(e) => setFade(e.target.value)}
        />
      </label>
      <button type="submit" className="primary" data-testid="door-save">
        OK
      </button>
      <button
        type="button"
        data-testid="sync-connect-open"
        onClick={() => {
          setEditing(false);
          openSyncDialog(true);
        }}
      >
        {t('pair.open')}
      </button>
    </form>
  );
}
