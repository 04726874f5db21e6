import type { Handlers } from '../../../shared/contract.ts';
import type { StaffAccess } from './access.ts';
import { staffNameKey } from './store.ts';

type StaffMethods =
  | 'staff.session'
  | 'staff.list'
  | 'staff.signIn'
  | 'staff.signOut'
  | 'staff.elevate'
  | 'staff.endElevation'
  | 'staff.add'
  | 'staff.remove'
  | 'staff.setPin'
  | 'staff.setUndoWindow'
  | 'kiosk.setPin'
  | 'kiosk.checkPin';

/** The staff methods of the contract; who may call which is decided by the gate in front of them. */
export function staffHandlers(access: StaffAccess): Pick<Handlers, StaffMethods> {
  const { store } = access;
  return {
    'staff.session': () => access.session(),
    'staff.list': () => ({ staff: store.list() }),
    'staff.signIn': ({ name, pin }) => access.signIn(name, pin),
    'staff.signOut': () => access.signOut(),
    'staff.elevate': ({ pin }) => access.elevate(pin),
    'staff.endElevation': () => access.endElevation(),
    'staff.add': ({ name, role, pin }) => store.add(name, role, pin),
    'staff.remove': ({ staffId }) => {
      store.remove(staffId);
      access.forget(staffId);
      return { removed: true as const };
    },
    'staff.setPin': ({ staffId, pin }) => store.setPin(staffId, pin),
    'staff.setUndoWindow': ({ minutes }) => access.setUndoWindow(minutes),
    // Earlier versions had one kiosk PIN; it is now the PIN of the supervisor called "Supervisor".
    // The supervisor gate replaces the old current-PIN check.
    'kiosk.setPin': ({ newPin }) => {
      const legacy = store.list().find((m) => staffNameKey(m.name) === 'supervisor' && m.role === 'supervisor');
      if (legacy === undefined) store.add('Supervisor', 'supervisor', newPin);
      else store.setPin(legacy.id, newPin);
      return { pinSet: true as const };
    },
    'kiosk.checkPin': ({ pin }) => {
      access.checkSupervisorPin(pin);
      return { unlocked: true as const };
    },
  };
}
