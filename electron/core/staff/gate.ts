import { methodNames, type Handlers, type MethodName } from '../../../shared/contract.ts';
import { gateOf, openMethods } from '../../../shared/staff/gates.ts';
import type { Caller, StaffAccess } from './access.ts';

/**
 * Puts the staff rules in front of every handler: a signed-in staff member for all but the open methods,
 * and a supervisor for the gated ones (shared/staff/gates.ts). Every transport gets the gated map, so IPC,
 * the loopback host and the UI cannot differ; the CLI gets the owner's map.
 */
export function gateHandlers(handlers: Handlers, access: StaffAccess, caller: Caller): Handlers {
  const gated: Partial<Record<MethodName, (input: unknown) => unknown>> = {};
  for (const method of methodNames) {
    const handler = handlers[method] as (input: unknown) => unknown;
    const gate = gateOf(method);
    gated[method] = (input) =>
      access.run(caller, () => {
        if (!openMethods.has(method)) access.requireSignedIn(method);
        if (gate === 'always' || (typeof gate === 'function' && gate(input as never)))
          access.requireSupervisor(method, 'this action');
        return handler(input);
      });
  }
  return gated as Handlers;
}
