import { HubPanel } from '../hub/HubPanel.tsx';
import { BackupsPanel } from './BackupsPanel.tsx';
import { CloseEventPanel } from './CloseEventPanel.tsx';
import { HandoffExportPanel } from './HandoffExportPanel.tsx';

/** Settings: the event beyond the door — the venue hub, hand-off to another kiosk, backups, closing the event. */
export function SettingsView() {
  return (
    <div className="settings-view" data-testid="settings-view">
      <HubPanel />
      <HandoffExportPanel />
      <BackupsPanel />
      <CloseEventPanel />
    </div>
  );
}
