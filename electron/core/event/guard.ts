import { methodNames, type Handlers, type MethodName } from '../../../shared/contract.ts';
import { requiresEvent } from '../../../shared/event/requires-event.ts';
import { LanyardFailure } from '../../../shared/result.ts';

/**
 * Puts "this kiosk has an event" in front of every method that shared/event/requires-event.ts says needs
 * one, so no handler can forget it. `hasEvent` is asked until it says yes once: a kiosk keeps its event
 * for as long as this database is open (closing the event opens another), so the hot path pays nothing.
 */
export function guardEvent(handlers: Handlers, hasEvent: () => boolean): Handlers {
  let known = false;
  const guarded: Partial<Record<MethodName, (input: unknown) => unknown>> = {};
  for (const method of methodNames) {
    const handler = handlers[method] as (input: unknown) => unknown;
    guarded[method] = !requiresEvent[method]
      ? handler
      : (input) => {
          if (!known && !(known = hasEvent()))
            throw new LanyardFailure('no_event', 'this kiosk has no event yet; create one or load the demo');
          return handler(input);
        };
  }
  return guarded as Handlers;
}
