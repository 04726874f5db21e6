import type { Database } from 'better-sqlite3';
import type { EventInfo } from '../../../shared/domain.ts';
import { readEvent, updateEventRow, writeForum } from './store.ts';
import { createLogger } from '../log.ts';

const log = createLogger('event-published');

/**
 * A newer published setup of this kiosk's event (a package revision from the server) replaces the
 * event's fields and its forums: names, rooms, capacities, times, order; forums the package lacks are
 * removed here too (hidden, their history kept). The organiser's kiosk that published is the authority
 * for the set-up; guests moved off a removed forum arrive as forum_assign events of their own. The
 * caller holds the transaction.
 */
export function applyPublishedSetup(db: Database, published: EventInfo): void {
  const { forums, ...fields } = published;
  updateEventRow(db, fields);
  const before = readEvent(db)?.forums.map((f) => f.id) ?? [];
  forums.forEach((f, i) => writeForum(db, f, i));
  const kept = new Set(forums.map((f) => f.id));
  const gone = before.filter((id) => !kept.has(id));
  for (const id of gone) {
    db.prepare(`UPDATE forums SET removed = 1 WHERE id = ?`).run(id);
    db.prepare(`UPDATE meta SET value = '' WHERE key = 'forum_door' AND value = ?`).run(id);
  }
  if (gone.length > 0) log.info('forums removed by the published setup', { forums: gone });
}
