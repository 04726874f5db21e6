import type { Database } from 'better-sqlite3';
import type { PulledEvent } from '../../../shared/sync/protocol.ts';
import type { CheckinService } from '../checkin.ts';
import type { EventLog } from '../events.ts';
import type { ForumService } from '../forums.ts';
import type { GuestRecord, GuestStore } from '../guests.ts';
import { createLogger } from '../log.ts';

const log = createLogger('sync-apply');

export interface Projections {
  events: EventLog;
  guests: GuestStore;
  checkins: CheckinService;
  forums: ForumService;
}

function placeholderGuest(id: string): GuestRecord {
  return {
    id,
    displayName: id,
    familyName: id,
    givenName: '',
    nativeName: '',
    latinName: '',
    organization: '',
    role: 'guest',
    email: '',
    note: '',
    vip: false,
    status: 'active',
    walkIn: false,
    forumPreferences: [],
    phone: '',
    source: 'import',
    codes: [],
  };
}

/**
 * Applies a page of pulled events: each is stored once (by id) and projected exactly as if it had
 * happened here. Idempotent — a replayed page changes nothing — and the caller runs it in the same
 * transaction as saving the cursor (R8). Returns how many events were new here.
 */
export function applyPulled(db: Database, p: Projections, events: readonly PulledEvent[]): number {
  if (!db.inTransaction) throw new Error('applyPulled must run inside a transaction');
  const exists = db.prepare(`SELECT 1 FROM guests WHERE id = ?`).pluck();
  let applied = 0;
  for (const event of events) {
    if (!p.events.insertRemote(event, event.receivedAt)) continue;
    applied += 1;
    const ensureGuest = () => {
      // A guest this kiosk's roster lacks (a signed badge admitted elsewhere): kept under their id until
      // the roster names them, so the check-in is never dropped.
      if (exists.get(event.guestId) === undefined) p.guests.insert(placeholderGuest(event.guestId));
    };
    switch (event.type) {
      case 'walk_in': {
        if (exists.get(event.guestId) !== undefined) break;
        const fields = (event.payload.guest ?? {}) as Partial<GuestRecord>;
        const codes = (fields.codes ?? []).filter((c) => !p.guests.hasCode(c));
        p.guests.insert({
          ...placeholderGuest(event.guestId),
          ...fields,
          codes,
          forumPreferences: [],
          id: event.guestId,
          walkIn: true,
          source: 'walk_in',
        });
        break;
      }
      case 'check_in':
        ensureGuest();
        p.checkins.applyRemoteCheckin(event);
        break;
      case 'check_in_void':
        p.checkins.applyRemoteVoid(event);
        break;
      case 'forum_assign':
        ensureGuest();
        if (!p.forums.applyRemoteAssignment(event))
          log.warn('assignment to an unknown forum kept unapplied', { id: event.id });
        break;
      case 'forum_entry':
        ensureGuest();
        if (!p.forums.applyRemoteEntry(event)) log.warn('entry to an unknown forum kept unapplied', { id: event.id });
        break;
      default:
        // badge_print, note, guest_edit: in the log (and in exports), no projection on the door.
        break;
    }
  }
  return applied;
}
