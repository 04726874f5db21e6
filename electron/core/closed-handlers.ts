import { methodNames, type Handlers, type MethodName } from '../../shared/contract.ts';
import { LanyardFailure, type LanyardError } from '../../shared/result.ts';
import { unopenedStatus } from './device/handlers.ts';

/**
 * A kiosk whose database failed to open still answers: `app.status` explains why (the UI shows a clear
 * screen) and every other method returns the same error. The file is never touched.
 */
export function degradedHandlers(error: LanyardError, dataDir: string): Handlers {
  const refuse = (): never => {
    throw new LanyardFailure(error.code, error.message);
  };
  const handlers = Object.fromEntries(methodNames.map((method) => [method, refuse])) as unknown as Handlers;
  handlers['app.status'] = () => unopenedStatus(dataDir, error);
  return handlers;
}

/** Calls that start the next event on a kiosk whose event was closed: they open a new database. */
const STARTS_AN_EVENT: ReadonlySet<string> = new Set([
  'event.loadDemo',
  'event.create',
  'handoff.setupFromFile',
  'sync.pair',
  'staff.add',
  'kiosk.setPin',
  'device.update',
]);

/**
 * A kiosk whose event was closed: nothing is written to the data directory until the next event starts
 * (it stays empty, as the organiser was promised). Until then the screens' polling (sync status, staff
 * session…) is answered by an empty kiosk in a scratch directory outside it; a call that starts an event
 * opens the real database.
 */
export function unopenedHandlers(dataDir: string, open: () => Handlers, scratch: () => Handlers): Handlers {
  const route = (method: MethodName) => (input: unknown) =>
    ((STARTS_AN_EVENT.has(method) ? open() : scratch())[method] as (input: unknown) => unknown)(input);
  const handlers = Object.fromEntries(methodNames.map((method) => [method, route(method)])) as unknown as Handlers;
  handlers['app.status'] = () => unopenedStatus(dataDir, null);
  return handlers;
}
