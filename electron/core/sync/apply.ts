import type { Database } from 'better-sqlite3';
import type { PulledEvent } from '../../../shared/sync/protocol.ts';
import type { CheckinService } from '../checkin.ts';
import type { EventLog } from '../events.ts';
import type { ForumService } from '../forums.ts';
import { minimalGuest, type GuestRecord, type GuestStore } from '../guests.ts';
import { createLogger } from '../log.ts';

const log = createLogger('sync-apply');

export interface Projections {
  events: EventLog;
  guests: GuestStore;
  checkins: CheckinService;
  forums: ForumService;
}

/**
 * Applies a page of pulled events: each is stored once (by id) and projected exactly as if it had
 * happened here. Idempotent — a replayed page changes nothing — and the caller runs it in the same
 * transaction as saving the cursor (R8). Returns how many events were new here.
 */
export function applyPulled(db: Database, p: Projections, events: readonly PulledEvent[]): number {
  if (!db.inTransaction) throw new Error('applyPulled must run inside a transaction');
  const exists = db.prepare(`SELECT 1 FROM guests WHERE id = ?`).pluck();
  const fresh = p.events.insertRemoteMany(events);
  // Check-ins and room entries are projected together after the loop (one attendance refresh per guest,
  // one presence check per room); walk-ins, voids and assignments in order, as they come.
  const checkins: PulledEvent[] = [];
  const entries: PulledEvent[] = [];
  let applied = 0;
  for (const event of events) {
    if (!fresh.has(event.id)) continue;
    fresh.delete(event.id); // an id twice in one page is applied once
    applied += 1;
    const ensureGuest = () => {
      // A guest this kiosk's roster lacks (a signed badge admitted elsewhere): kept under their id until
      // the roster names them, so the check-in is never dropped.
      if (exists.get(event.guestId) === undefined) p.guests.insert(minimalGuest(event.guestId, event.guestId, ''));
    };
    switch (event.type) {
      case 'walk_in': {
        const fields = (event.payload.guest ?? {}) as Partial<GuestRecord>;
        const codes = (fields.codes ?? []).filter((c) => !p.guests.hasCode(c));
        if (exists.get(event.guestId) !== undefined) {
          // Admitted here from their badge before this event arrived (a placeholder named by its id): now named.
          const known = p.guests.get(event.guestId);
          if (known?.walkIn === true && known.name === event.guestId) {
            p.guests.update({
              ...minimalGuest(event.guestId, event.guestId, ''),
              ...fields,
              codes: [...known.codes, ...codes],
              forumPreferences: [],
              id: event.guestId,
              walkIn: true,
              source: 'walk_in',
            });
          }
          break;
        }
        p.guests.insert({
          ...minimalGuest(event.guestId, event.guestId, ''),
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
        checkins.push(event);
        break;
      case 'check_in_void':
        // A void of a check-in later in this page finds no row yet; that check-in picks the void up.
        p.checkins.applyRemoteVoid(event);
        break;
      case 'forum_assign':
        ensureGuest();
        if (!p.forums.applyRemoteAssignment(event))
          log.warn('assignment to an unknown forum kept unapplied', { id: event.id });
        break;
      case 'forum_entry':
        ensureGuest();
        entries.push(event);
        break;
      default:
        // badge_print, note, guest_edit: in the log (and in exports), no projection on the door.
        break;
    }
  }
  p.checkins.applyRemoteCheckins(checkins);
  const projected = p.forums.applyRemoteEntries(entries);
  if (projected < entries.length)
    log.warn('entries to unknown forums kept unapplied', { count: entries.length - projected });
  return applied;
}
