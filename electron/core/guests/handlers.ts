import type { Handlers } from '../../../shared/contract.ts';
import type { GuestSearch } from './search.ts';
import type { GuestStore } from './store.ts';

/** Finding guests: a few letters of a name (any script), an organisation, an e-mail; one guest by id. */
export function guestHandlers(deps: {
  guests: GuestStore;
  search: GuestSearch;
}): Pick<Handlers, 'guests.search' | 'guests.get'> {
  const { guests, search } = deps;
  return {
    'guests.search': ({ query, limit }) => ({ results: search.search(query, limit) }),
    'guests.get': ({ guestId }) => guests.requireGuest(guestId),
  };
}
