import type { Database } from 'better-sqlite3';
import type { Handlers, MethodOutput } from '../../../shared/contract.ts';
import { HUB_OFF, type HubIndicator } from '../../../shared/hub/status.ts';
import type { LanyardError } from '../../../shared/result.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { readEvent } from '../event/store.ts';
import type { MetaStore } from '../meta.ts';
import type { StaffAccess } from '../staff/access.ts';
import type { DeviceContext } from './context.ts';
import { readDiskSpace } from './disk-space.ts';

export const APP_VERSION = '0.1.0';

/** `app.status` of a kiosk without an open database: why (dbError), or nothing yet (a closed event). */
export function unopenedStatus(dataDir: string, dbError: LanyardError | null): MethodOutput<'app.status'> {
  const disk = readDiskSpace(dataDir);
  return { version: APP_VERSION, dataDir, dbError, event: null, device: null, pinSet: false, hub: HUB_OFF, disk };
}

/** The app's state for the screens, and this kiosk's door: its name, operator, and forum room. */
export function deviceHandlers(deps: {
  db: Database;
  meta: MetaStore;
  access: StaffAccess;
  context: DeviceContext;
  dataDir: string;
  /** The venue hub's on/off, address and door count (HubService.indicator). */
  hub: () => HubIndicator;
  /** Free space under which the top bar warns, in MB (KioskOptions.lowDiskMb). */
  lowDiskMb?: number | undefined;
}): Pick<Handlers, 'app.status' | 'device.update' | 'device.setForumDoor' | 'device.setLanguage'> {
  const { db, meta, access, context, dataDir, hub, lowDiskMb } = deps;
  const { deviceId, device } = context;
  return {
    'app.status': () => ({
      version: APP_VERSION,
      dataDir,
      dbError: null,
      event: readEvent(db),
      device: device(),
      pinSet: access.store.count() > 0,
      hub: hub(),
      disk: readDiskSpace(dataDir, lowDiskMb),
    }),
    'device.update': ({ door, operator }) => {
      db.transaction(() => {
        meta.set('door', door.trim());
        meta.set('operator', operator.trim());
        db.prepare(`UPDATE devices SET door = ? WHERE id = ?`).run(door.trim(), deviceId);
      })();
      return device();
    },
    'device.setForumDoor': ({ forumId }) => {
      if (forumId !== '' && !readEvent(db)?.forums.some((f) => f.id === forumId)) {
        throw new LanyardFailure('forum_not_found', `no forum with id ${forumId}`);
      }
      meta.set('forum_door', forumId);
      return device();
    },
    'device.setLanguage': ({ language }) => {
      meta.set('language', language);
      return device();
    },
  };
}
