import type { SelfServiceStatus } from '../../shared/self-service/schemas.ts';
import { usage, type CliContext } from './context.ts';

const text = (s: SelfServiceStatus) =>
  `self-service ${s.active ? 'on: the screen is the guests\u2019; a supervisor\u2019s PIN leaves it' : 'off'}` +
  (s.lookupLockSeconds > 0 ? ` (name lookups locked for ${s.lookupLockSeconds} s)` : '');

/**
 * `lanyard self-service on | off | status`: the machine owner switches the kiosk's screen to the guests
 * and back (no PIN asked; a running app shows the change at its next call).
 */
export function runSelfServiceCommand(command: string, { args, out, call }: CliContext): number | null {
  if (command !== 'self-service') return null;
  const [sub] = args;
  const status =
    sub === 'on'
      ? call<SelfServiceStatus>('selfService.start', {})
      : sub === 'off'
        ? call<SelfServiceStatus>('selfService.stop', { pin: '' })
        : sub === 'status' || sub === undefined
          ? call<SelfServiceStatus>('selfService.status', {})
          : usage('self-service needs on, off or status');
  out(status, text(status));
  return 0;
}
