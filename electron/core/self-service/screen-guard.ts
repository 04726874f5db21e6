import { methodNames, type Handlers, type MethodName } from '../../../shared/contract.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { selfServiceScreenMethods } from '../../../shared/self-service/screen-methods.ts';

/**
 * Puts self-service in front of the screen's handlers: while it is on, every method but the few of
 * shared/self-service/screen-methods.ts is refused with `self_service_on` — in the core, so IPC, the
 * loopback host and any page a guest reloads or opens are refused alike. The owner's CLI map is not
 * guarded (the machine owner may always look). `active` is asked per call (SelfService keeps the mode in
 * memory and reads it again after a second: the CLI, another process, may switch it while the app runs).
 */
export function guardSelfServiceScreen(handlers: Handlers, active: () => boolean): Handlers {
  const guarded: Partial<Record<MethodName, (input: unknown) => unknown>> = {};
  for (const method of methodNames) {
    const handler = handlers[method] as (input: unknown) => unknown;
    guarded[method] = selfServiceScreenMethods.has(method)
      ? handler
      : (input) => {
          if (active())
            throw new LanyardFailure(
              'self_service_on',
              `${method}: this kiosk is in self-service; a supervisor's PIN leaves it`,
            );
          return handler(input);
        };
  }
  return guarded as Handlers;
}
