import type { Handlers } from '../../../shared/contract.ts';
import type { HubService } from './service.ts';

/** The venue hub's part of the handler map: status, start, stop, a pairing code for the next door. */
export function hubHandlers(
  hub: HubService,
): Pick<Handlers, 'hub.status' | 'hub.start' | 'hub.stop' | 'hub.newPairing'> {
  return {
    'hub.status': () => hub.status(),
    'hub.start': ({ port, host }) => hub.start({ port, host }),
    'hub.stop': () => hub.stop(),
    'hub.newPairing': ({ name }) => hub.newPairing(name),
  };
}
