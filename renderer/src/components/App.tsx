import { useEffect } from 'react';
import { useAppStatusPolling } from '../app-status-polling.ts';
import { useScanCapture } from '../door-scan.ts';
import { useSelfService } from '../self-service-store.ts';
import { useKiosk } from '../store.ts';
import { useSync, useSyncPolling } from '../sync-store.ts';
import { DbErrorScreen } from './DbErrorScreen.tsx';
import { DoorScreen } from './DoorScreen.tsx';
import { SelfServiceScreen } from './self-service/SelfServiceScreen.tsx';
import { SyncDialog } from './SyncDialog.tsx';
import { useStaff } from '../staff-store.ts';
import { SignInForm } from './staff/SignInForm.tsx';
import { SupervisorPrompt } from './staff/SupervisorPrompt.tsx';
import { Welcome } from './Welcome.tsx';

export function App() {
  const status = useKiosk((s) => s.status);
  const fatal = useKiosk((s) => s.fatal);
  const refreshStatus = useKiosk((s) => s.refreshStatus);
  const locale = useKiosk((s) => s.locale);
  const syncDialogOpen = useSync((s) => s.dialogOpen);
  const session = useStaff((s) => s.session);
  const signInOpen = useStaff((s) => s.signInOpen);
  const refreshStaff = useStaff((s) => s.refresh);
  const selfService = useSelfService((s) => s.active);
  const refreshSelfService = useSelfService((s) => s.refresh);
  useSyncPolling();
  // The hub's sign and the free disk space change on their own: kept fresh on every screen.
  useAppStatusPolling();
  // Every scanner burst is a scan, wherever focus is: a dialog, a button, another view, a form field.
  useScanCapture();

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  useEffect(() => {
    void refreshStatus();
    void refreshStaff();
    void refreshSelfService();
  }, [refreshStatus, refreshStaff, refreshSelfService]);

  if (fatal !== null) return <DbErrorScreen error={fatal} dataDir={status?.dataDir ?? ''} />;
  // Nothing is drawn until the core has said whether the guests have this screen: a reload in
  // self-service never shows the staff's door, not even for a moment.
  if (status === null || selfService === null) return <div className="loading" />;
  if (status.dbError !== null) return <DbErrorScreen error={status.dbError} dataDir={status.dataDir} />;
  if (selfService) return <SelfServiceScreen />;
  return (
    <>
      {session?.staffExist === true && session.signedIn === null ? (
        // Staff are set up and nobody is signed in: the kiosk asks who is there first.
        <SignInForm asDialog={false} />
      ) : status.event === null ? (
        <Welcome />
      ) : (
        <DoorScreen />
      )}
      {syncDialogOpen && <SyncDialog />}
      {signInOpen && <SignInForm asDialog />}
      <SupervisorPrompt />
    </>
  );
}
