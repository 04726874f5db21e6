import type { MethodName } from '../contract.ts';

/**
 * THE list of what the kiosk's screen may call while it is in self-service: the self-service methods and
 * reads that carry no guest's data (the app's status for the event's name, the badge settings for the
 * label's size and logo, the staff session: nobody signed in, PIN lockout). The core refuses every other method for the screen with `self_service_on`, so a
 * guest at the screen — or a page they reloaded or opened — reaches no guest list, stats or export.
 */
export const selfServiceScreenMethods: ReadonlySet<MethodName> = new Set<MethodName>([
  'app.status',
  'badges.settings',
  'staff.session',
  'selfService.status',
  'selfService.stop',
  'selfService.scan',
  'selfService.findMe',
]);
