import { useEffect } from 'react';
import { useScanCapture } from '../door-scan.ts';
import { useKiosk } from '../store.ts';
import { useSync, useSyncPolling } from '../sync-store.ts';
import { DbErrorScreen } from './DbErrorScreen.tsx';
import { DoorScreen } from './DoorScreen.tsx';
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
  useSyncPolling();
  // Every scanner burst is a scan, wherever focus is: a dialog, a button, another view, a form field.
  useScanCapture();

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  useEffect(() => {
    void refreshStatus();
    void refreshStaff();
  }, [refreshStatus, refreshStaff]);

  if (fatal !== null) return <DbErrorScreen error={fatal} dataDir={status?.dataDir ?? ''} />;
  if (status === null) return <div className="loading" />;
  if (status.dbError !== null) return <DbErrorScreen error={status.dbError} dataDir={status.dataDir} />;
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
