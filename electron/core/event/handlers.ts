import type { Handlers } from '../../../shared/contract.ts';
import { withFallback } from '../../../shared/event/setup.ts';
import { checkOrder, zonedTime } from '../../../shared/event/time.ts';
import { DEMO_GUEST_COUNT, DEMO_SEED, demoEvent, demoSetup, generateRoster } from '../demo/generate.ts';
import type { GuestStore } from '../guests/store.ts';
import { createLogger } from '../log.ts';
import type { ForumService } from '../forums/service.ts';
import type { ForumSetupService } from './forum-setup.ts';
import type { EventService } from './service.ts';

const log = createLogger('event-handlers');

type EventHandlers = Pick<
  Handlers,
  | 'event.loadDemo'
  | 'event.create'
  | 'event.show'
  | 'event.update'
  | 'forums.add'
  | 'forums.update'
  | 'forums.reorder'
  | 'forums.remove'
>;

/**
 * Creating and configuring the event. Each edit is its own named function so a supervisor gate can wrap
 * exactly these (event and forum edits) without touching the door's handlers.
 */
export function eventHandlers(deps: {
  events: EventService;
  forumSetup: ForumSetupService;
  forums: ForumService;
  guests: GuestStore;
}): EventHandlers {
  const { events, forumSetup, forums, guests } = deps;

  const createEvent: EventHandlers['event.create'] = (setup) => {
    const event = events.create(setup);
    return { eventId: event.id, event };
  };
  // The demo is an event like any other, created by the same path, plus its generated roster.
  const loadDemo: EventHandlers['event.loadDemo'] = () => {
    const roster = generateRoster(DEMO_GUEST_COUNT, DEMO_SEED);
    const event = events.create(demoSetup, {
      id: demoEvent.id,
      forums: demoEvent.forums,
      within: () => guests.insertMany(roster),
    });
    log.info('demo event loaded', { guests: roster.length });
    return event;
  };
  const showEvent: EventHandlers['event.show'] = () => events.details();
  const updateEvent: EventHandlers['event.update'] = (patch) => events.update(patch);
  const addForum: EventHandlers['forums.add'] = ({ forum }) => forumSetup.add(forum);
  // Names fall back like a new forum's; times are read in the event's zone like everywhere else.
  const updateForum: EventHandlers['forums.update'] = ({ forum }) => {
    const { timezone } = events.details().event;
    const startsAt = zonedTime(forum.startsAt, timezone, 'forum start');
    const endsAt = zonedTime(forum.endsAt, timezone, 'forum end');
    checkOrder(startsAt, endsAt, `forum ${forum.id}`);
    return forums.update({ ...forum, name: withFallback(forum.name, `forum ${forum.id}`), startsAt, endsAt });
  };
  const reorderForums: EventHandlers['forums.reorder'] = ({ forumIds }) => ({ forums: forumSetup.reorder(forumIds) });
  const removeForum: EventHandlers['forums.remove'] = ({ forumId, moveTo }) => forumSetup.remove(forumId, moveTo);

  return {
    'event.loadDemo': loadDemo,
    'event.create': createEvent,
    'event.show': showEvent,
    'event.update': updateEvent,
    'forums.add': addForum,
    'forums.update': updateForum,
    'forums.reorder': reorderForums,
    'forums.remove': removeForum,
  };
}
