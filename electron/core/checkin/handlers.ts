import type { Handlers } from '../../../shared/contract.ts';
import type { StaffAccess } from '../staff/access.ts';
import type { CheckinService } from './service.ts';

/** The venue door: a scan, a check-in by hand, a walk-in, undoing one, and what the door screen lists. */
export function checkinHandlers(deps: {
  checkins: CheckinService;
  access: StaffAccess;
  deviceId: string;
}): Pick<
  Handlers,
  'guests.scan' | 'guests.checkIn' | 'guests.walkIn' | 'checkins.undo' | 'checkins.recent' | 'stats.get'
> {
  const { checkins, access, deviceId } = deps;
  return {
    'guests.scan': ({ code }) => checkins.scan(code),
    'guests.checkIn': ({ guestId }) => checkins.checkIn(guestId),
    'guests.walkIn': (input) => checkins.walkIn(input),
    'checkins.undo': (target) => {
      // Door staff undo their own recent check-ins; anything else is a supervisor's.
      if (!access.ownRecentCheckin(checkins.undoTarget(target), deviceId))
        access.requireSupervisor('checkins.undo', "undoing someone else's or an older check-in");
      return checkins.undo(target);
    },
    'checkins.recent': ({ limit }) => ({ items: checkins.recent(limit) }),
    'stats.get': () => checkins.stats(),
  };
}
