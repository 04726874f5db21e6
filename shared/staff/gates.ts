import type { MethodName, ParsedInput } from '../contract.ts';

/**
 * When a call needs a supervisor:
 * - 'always';
 * - a predicate over the call's (parsed) input, e.g. an import that is not a dry run;
 * - 'core': the core decides from its data and refuses inside the handler (a reprint, an undo of
 *   someone else's or an old check-in, an override of a full forum).
 */
export type SupervisorGate<M extends MethodName> = 'always' | 'core' | ((input: ParsedInput<M>) => boolean);

/**
 * THE list of supervisor actions, keyed by contract method. The core refuses them for door staff with
 * `supervisor_required` (IPC, HTTP and the UI all go through it); the CLI, the machine owner's tool, is
 * not gated. Adding a gate is one line here (and one sample input in tests/integration/staff-gates.test.ts).
 */
export const supervisorGates: { [M in MethodName]?: SupervisorGate<M> } = {
  'event.loadDemo': 'always',
  'event.create': 'always',
  'event.update': 'always',
  'forums.add': 'always',
  'forums.update': 'always',
  'forums.reorder': 'always',
  'forums.remove': 'always',
  'forums.autoAssign': (input) => !input.dryRun,
  'forums.assign': 'core', // only an override of a full forum
  'badges.recordPrint': 'core', // only a reprint; the first badge is door staff's
  'badges.setSettings': 'always',
  'checkins.undo': 'core', // door staff undo their own check-ins of the last few minutes
  // A complete list removes its guests missing from the file; adding and updating is door staff's.
  'roster.import': (input) => input.replace && !input.dryRun,
  'roster.export': 'always',
  'codes.revoke': 'always',
  'codes.setPolicy': 'always',
  'codes.rotateSecret': 'always',
  'codes.setSecretStatus': 'always',
  'keys.trust': 'always',
  'keys.rotate': 'always',
  'keys.setStatus': 'always',
  'sync.pair': 'always',
  // The venue hub listens on the LAN and hands out pairing codes: a supervisor's decision.
  'hub.start': 'always',
  'hub.stop': 'always',
  'hub.newPairing': 'always',
  // The event's life beyond the door: hand-off, backups, closing the event.
  'handoff.exportSetup': 'always',
  'handoff.setupFromFile': 'always',
  'backups.configure': 'always',
  'backups.now': 'always',
  'event.close': 'always',
  'kiosk.setPin': 'always',
  'staff.add': 'always',
  'staff.remove': 'always',
  'staff.setPin': 'always',
  'staff.setUndoWindow': 'always',
  // Handing the screen to guests; leaving again takes a supervisor's PIN (checked by selfService.stop).
  'selfService.start': 'always',
};

/**
 * Methods anyone at the screen may call while staff exist but nobody is signed in: signing in itself,
 * and reads without personal data that the screens poll. Everything else needs a signed-in staff member.
 * `kiosk.checkPin` (leaving kiosk mode) and `selfService.stop` check a supervisor PIN themselves; the guests'
 * self-service calls answer only while a supervisor has switched self-service on.
 */
export const openMethods: ReadonlySet<MethodName> = new Set<MethodName>([
  'app.status',
  'staff.session',
  'staff.list',
  'staff.signIn',
  'staff.signOut',
  'staff.elevate',
  'staff.endElevation',
  'kiosk.checkPin',
  'sync.status',
  'jobs.get',
  'stats.get',
  'forums.seats',
  'badges.settings',
  'selfService.status',
  'selfService.stop',
  'selfService.scan',
  'selfService.findMe',
]);

export function gateOf(method: MethodName): SupervisorGate<MethodName> | undefined {
  return supervisorGates[method] as SupervisorGate<MethodName> | undefined;
}
