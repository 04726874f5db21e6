import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { DEFAULT_DOOR, DEFAULT_OPERATOR, type Device } from '../../../shared/domain.ts';
import { locales, type Locale } from '../../../shared/i18n/index.ts';
import { cleanText } from '../../../shared/text/clean.ts';
import type { MetaStore } from '../meta.ts';
import type { StaffAccess } from '../staff/access.ts';

/** This kiosk as a device: its id (made once), and its door, operator and forum door as set now. */
export interface DeviceContext {
  deviceId: string;
  device: () => Device;
  /** Only what a fact records (door and operator): the door's hot path reads two settings, not five. */
  doorContext: () => { door: string; operator: string };
}

export function openDeviceContext(db: Database, meta: MetaStore, access: StaffAccess): DeviceContext {
  const deviceId = meta.getOrCreate('device_id', () => randomBytes(10).toString('hex'));
  // Door and operator go into every fact: cleaned of control characters here too, so a name stored
  // before text was cleaned (or a door name the server sent at pairing) cannot make every scan's fact
  // fail its schema and stop the door's sync.
  const doorContext = () => ({
    door: cleanText(meta.get('door') ?? DEFAULT_DOOR),
    // Who is recorded on facts: the signed-in staff member (or the approving supervisor); with no staff
    // set up, the door's operator setting.
    operator: cleanText(access.actor(meta.get('operator') ?? DEFAULT_OPERATOR)),
  });
  const device = (): Device => {
    const language = meta.get('language');
    return {
      id: deviceId,
      ...doorContext(),
      forumDoor: meta.get('forum_door') ?? '',
      language: locales.find((l): l is Locale => l === language) ?? null,
    };
  };
  db.prepare(`INSERT OR IGNORE INTO devices (id, door) VALUES (?, ?)`).run(deviceId, doorContext().door);
  return { deviceId, device, doorContext };
}
