import type { Handlers } from '../../../shared/contract.ts';
import type { ForumService } from './service.ts';

/** The forums at the door: live seats, assigning guests (by hand or from preferences), the room's scan. */
export function forumHandlers(
  forums: ForumService,
): Pick<
  Handlers,
  'forums.list' | 'forums.seats' | 'forums.assign' | 'forums.setPreferences' | 'forums.autoAssign' | 'forums.scan'
> {
  return {
    'forums.list': () => ({ forums: forums.list() }),
    'forums.seats': () => ({ seats: forums.seats() }),
    'forums.assign': ({ guestId, forumId, overrideReason }) => forums.assign(guestId, forumId, overrideReason),
    'forums.setPreferences': ({ guestId, forumIds }) => forums.setPreferences(guestId, forumIds),
    'forums.autoAssign': ({ dryRun }) => forums.autoAssign(dryRun),
    'forums.scan': ({ code, forumId, direction, admitAnyway }) => forums.scan(code, forumId, direction, admitAnyway),
  };
}
