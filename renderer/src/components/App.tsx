import { useEffect } from 'react';
import { useKiosk } from '../store.ts';
import { useSync, useSyncPolling } from '../sync-store.ts';
import { DbErrorScreen } from './DbErrorScreen.tsx';
import { DoorScreen } from './DoorScreen.tsx';
import { SyncDialog } from './SyncDialog.tsx';
import { Welcome } from './Welcome.tsx';

export function App() {
  const status = useKiosk((s) => s.status);
  const fatal = useKiosk((s) => s.fatal);
  const refreshStatus = useKiosk((s) => s.refreshStatus);
  const locale = useKiosk((s) => s.locale);
  const syncDialogOpen = useSync((s) => s.dialogOpen);
  useSyncPolling();

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  useEffect(() => {
    void refreshStatus();
  }, [refreshStatus]);

  if (fatal !== null) return <DbErrorScreen error={fatal} dataDir={status?.dataDir ?? ''} />;
  if (status === null) return <div className="loading" />;
  if (status.dbError !== null) return <DbErrorScreen error={status.dbError} dataDir={status.dataDir} />;
  return (
    <>
      {status.event === null ? <Welcome /> : <DoorScreen />}
      {syncDialogOpen && <SyncDialog />}
    </>
  );
}
