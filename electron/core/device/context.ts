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

/** How long door and operator settings written by another process may go unseen here. */
const SETTINGS_RECHECK_MS = 1000;

export function openDeviceContext(db: Database, meta: MetaStore, access: StaffAccess): DeviceContext {
  const deviceId = meta.getOrCreate('device_id', () => randomBytes(10).toString('hex'));
  // Door and operator go into every fact: cleaned of control characters here too, so a name stored
  // before text was cleaned (or a door name the server sent at pairing) cannot make every scan's fact
  // fail its schema and stop the door's sync.
  // Both settings are kept in memory: every scan's fact records them, and reading them was two statements
  // per scan. A set through this kiosk's MetaStore is seen at once (its version moves); one made by another
  // process (the owner's CLI) within a second, as the staff count and the self-service mode are.
  let settings: { door: string; operator: string; version: number; readAt: number } | null = null;
  const doorSettings = () => {
    const now = performance.now();
    if (settings === null || settings.version !== meta.version || now - settings.readAt >= SETTINGS_RECHECK_MS)
      settings = {
        door: cleanText(meta.get('door') ?? DEFAULT_DOOR),
        operator: meta.get('operator') ?? DEFAULT_OPERATOR,
        version: meta.version,
        readAt: now,
      };
    return settings;
  };
  const doorContext = () => {
    const { door, operator } = doorSettings();
    // Who is recorded on facts: the signed-in staff member (or the approving supervisor); with no staff
    // set up, the door's operator setting.
    return { door, operator: cleanText(access.actor(operator)) };
  };
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
