import { useEffect } from 'react';
import { useKiosk } from '../store.ts';
import { DbErrorScreen } from './DbErrorScreen.tsx';
import { DoorScreen } from './DoorScreen.tsx';
import { Welcome } from './Welcome.tsx';

export function App() {
  const status = useKiosk((s) => s.status);
  const fatal = useKiosk((s) => s.fatal);
  const refreshStatus = useKiosk((s) => s.refreshStatus);
  const locale = useKiosk((s) => s.locale);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  useEffect(() => {
    void refreshStatus();
  }, [refreshStatus]);

  if (fatal !== null) return <DbErrorScreen error={fatal} dataDir={status?.dataDir ?? ''} />;
  if (status === null) return <div className="loading" />;
  if (status.dbError !== null) return <DbErrorScreen error={status.dbError} dataDir={status.dataDir} />;
  if (status.event === null) return <Welcome />;
  return <DoorScreen />;
}
