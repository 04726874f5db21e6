import type { Database } from 'better-sqlite3';
import type { EventInfo, Forum } from '../../../shared/domain.ts';
import { forumPalette, withFallback, type ForumSetup } from '../../../shared/event/setup.ts';
import { checkOrder, zonedTime } from '../../../shared/event/time.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { forumOf, readEvent, writeForum } from './store.ts';
import type { ForumService } from '../forums/service.ts';
import { createLogger } from '../log.ts';
import type { MetaStore } from '../meta.ts';

const log = createLogger('forum-setup');

/**
 * Setting up sub-forums: add, reorder, remove (editing one is ForumService.update). Forum configuration
 * travels to other kiosks with the event's package (sync/package.ts); guests moved off a removed forum
 * travel as ordinary forum_assign events, so every kiosk's register agrees on where they went.
 */
export class ForumSetupService {
  private readonly db: Database;
  private readonly forums: ForumService;
  private readonly meta: MetaStore;

  constructor(db: Database, forums: ForumService, meta: MetaStore) {
    this.db = db;
    this.forums = forums;
    this.meta = meta;
  }

  private event(): EventInfo {
    const event = readEvent(this.db);
    if (event === null) throw new LanyardFailure('no_event', 'this kiosk has no event yet; create one first');
    return event;
  }

  /** A new forum at the end; its times default to the event's, its colour to the next of the palette. */
  add(input: ForumSetup): Forum {
    const event = this.event();
    if (event.forums.some((f) => f.id === input.id))
      throw new LanyardFailure('forum_exists', `there is already a forum with id ${input.id}`);
    const startsAt = zonedTime(input.startsAt, event.timezone, 'forum start') || event.startsAt;
    const endsAt = zonedTime(input.endsAt, event.timezone, 'forum end') || event.endsAt;
    checkOrder(startsAt, endsAt, `forum ${input.id}`);
    const forum: Forum = {
      id: input.id,
      name: withFallback(input.name, `forum ${input.id}`),
      room: input.room,
      capacity: input.capacity,
      startsAt,
      endsAt,
      colour: input.colour || forumPalette[event.forums.length % forumPalette.length]!,
    };
    const next = this.db.prepare(`SELECT coalesce(max(position), -1) + 1 FROM forums`).pluck();
    this.db.transaction(() => writeForum(this.db, forum, next.get() as number))();
    log.info('forum added', { forumId: forum.id });
    return forumOf(this.event(), forum.id);
  }

  /** Puts the forums in the given order; the list must name every current forum exactly once. */
  reorder(forumIds: readonly string[]): Forum[] {
    const current = this.event().forums.map((f) => f.id);
    const same =
      forumIds.length === current.length &&
      new Set(forumIds).size === forumIds.length &&
      forumIds.every((id) => current.includes(id));
    if (!same) {
      throw new LanyardFailure(
        'invalid_input',
        `the new order must name each forum once: ${current.join(', ')} (got ${forumIds.join(', ')})`,
      );
    }
    const setPosition = this.db.prepare(`UPDATE forums SET position = ? WHERE id = ?`);
    this.db.transaction(() => forumIds.forEach((id, i) => setPosition.run(i, id)))();
    return this.event().forums;
  }

  /**
   * Removes a forum. Guests assigned to it stay where they are and the removal is refused
   * (`forum_in_use`, with the count) unless `moveTo` names another forum: then each is reassigned there
   * in the same transaction. The forum's row stays (hidden) for its history.
   */
  remove(forumId: string, moveTo: string): { removed: string; moved: number } {
    const event = this.event();
    const forum = forumOf(event, forumId);
    const assigned = this.db
      .prepare(`SELECT guest_id FROM guest_forum WHERE forum_id = ? ORDER BY guest_id`)
      .pluck()
      .all(forumId) as string[];
    if (assigned.length > 0 && moveTo === '') {
      throw new LanyardFailure(
        'forum_in_use',
        `${assigned.length} guest(s) are assigned to ${forum.name.en}; move them to another forum to remove it`,
      );
    }
    if (moveTo !== '') {
      if (moveTo === forumId) throw new LanyardFailure('invalid_input', 'guests cannot be moved to the forum removed');
      forumOf(event, moveTo);
    }
    this.db.transaction(() => {
      for (const guestId of assigned) this.forums.writeAssignment(guestId, moveTo, '');
      this.db.prepare(`DELETE FROM guest_forum_preferences WHERE forum_id = ?`).run(forumId);
      this.db.prepare(`UPDATE forums SET removed = 1 WHERE id = ?`).run(forumId);
      if (this.meta.get('forum_door') === forumId) this.meta.set('forum_door', '');
    })();
    log.info('forum removed', { forumId, moved: assigned.length, moveTo });
    return { removed: forumId, moved: assigned.length };
  }
}
