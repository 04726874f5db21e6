import { useState } from 'react';
import { api } from '../api/client.ts';
import { useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';

/** The door name and the staff member on duty: shown on every check-in and recorded in the audit trail. */
export function DoorSettings() {
  const t = useT();
  const device = useKiosk((s) => s.status?.device);
  const refreshStatus = useKiosk((s) => s.refreshStatus);
  const [editing, setEditing] = useState(false);
  const [door, setDoor] = useState('');
  const [operator, setOperator] = useState('');
  if (!device) return null;
  if (!editing) {
    return (
      <button
        type="button"
        className="quiet door-line"
        data-testid="door-settings"
        onClick={() => {
          setDoor(device.door);
          setOperator(device.operator);
          setEditing(true);
        }}
      >
        {t('door.doorName')}: {device.door} · {t('door.operator')}: {device.operator}
      </button>
    );
  }
  return (
    <form
      className="door-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (door.trim() === '' || operator.trim() === '') return;
        void api['device.update']({ door, operator }).then(async () => {
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
      <button type="submit" className="primary" data-testid="door-save">
        OK
      </button>
    </form>
  );
}
