import { useEffect } from 'react';
import { useT } from '../../i18n.ts';
import { useKiosk } from '../../store.ts';
import { useStaff } from '../../staff-store.ts';
import { useApprovalSeconds } from './use-countdown.ts';

/** The top bar's "who is at this door": the signed-in staff member, a supervisor's approval, switching. */
export function StaffBar() {
  const t = useT();
  const session = useStaff((s) => s.session);
  const refresh = useStaff((s) => s.refresh);
  const openSignIn = useStaff((s) => s.openSignIn);
  const signOut = useStaff((s) => s.signOut);
  const endApproval = useStaff((s) => s.endApproval);
  const setView = useKiosk((s) => s.setView);
  const approval = useApprovalSeconds();
  const approvedBy = session?.elevated?.name ?? null;
  // The approval relocks in the core by itself; read the session again when it should have.
  useEffect(() => {
    if (approvedBy !== null && approval === 0) void refresh();
  }, [approvedBy, approval, refresh]);
  if (session === null) return null;
  if (!session.staffExist) {
    return (
      <button type="button" className="quiet staff-bar" data-testid="staff-bar" onClick={() => setView('staff')}>
        {t('staff.openKiosk')}
      </button>
    );
  }
  const member = session.signedIn;
  return (
    <div className="staff-bar" data-testid="staff-bar">
      {member !== null && (
        <span className="who" data-testid="signed-in">
          {t('staff.signedIn', { name: member.name, role: t(`staff.role.${member.role}`) })}
        </span>
      )}
      {approvedBy !== null && approval > 0 && (
        <span className="approval" data-testid="approval">
          {t('staff.approval', { name: approvedBy, seconds: approval })}
          <button type="button" className="quiet" data-testid="approval-lock" onClick={() => void endApproval()}>
            {t('staff.lock')}
          </button>
        </span>
      )}
      <button type="button" className="quiet" data-testid="staff-switch" onClick={() => openSignIn(true)}>
        {t('staff.switch')}
      </button>
      <button type="button" className="quiet" data-testid="staff-sign-out" onClick={() => void signOut()}>
        {t('staff.signOut')}
      </button>
    </div>
  );
}
