import type { Handlers } from '../../../shared/contract.ts';
import type { SelfService } from './service.ts';

type SelfServiceMethods =
  'selfService.status' | 'selfService.start' | 'selfService.stop' | 'selfService.scan' | 'selfService.findMe';

/** The self-service methods of the contract; the staff gate and the self-service screen guard stand in front. */
export function selfServiceHandlers(selfService: SelfService): Pick<Handlers, SelfServiceMethods> {
  return {
    'selfService.status': () => selfService.status(),
    'selfService.start': () => selfService.start(),
    'selfService.stop': ({ pin }) => selfService.stop(pin),
    'selfService.scan': ({ code }) => selfService.scan(code),
    'selfService.findMe': ({ name, fact }) => selfService.findMe(name, fact),
  };
}
