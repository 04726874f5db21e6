import { BackupsPanel } from './BackupsPanel.tsx';
import { CloseEventPanel } from './CloseEventPanel.tsx';
import { HandoffExportPanel } from './HandoffExportPanel.tsx';

/** Settings: the event beyond the door — hand-off to another kiosk, backups, closing the event. */
export function SettingsView() {
  return (
    <div className="settings-view" data-testid="settings-view">
      <HandoffExportPanel />
      <BackupsPanel />
      <CloseEventPanel />
    </div>
  );
}
