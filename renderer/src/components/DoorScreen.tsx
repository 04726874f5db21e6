import { useCallback, useEffect, useRef, useState } from 'react';
import { useAnswerSounds } from '../answer-sounds.ts';
import type { Guest } from '../../../shared/domain.ts';
import { api } from '../api/client.ts';
import { BadgePreview } from './BadgePreview.tsx';
import { BadgeSettingsPanel } from './BadgeSettingsPanel.tsx';
import { useT } from '../i18n.ts';
import { useKiosk } from '../store.ts';
import { useSync } from '../sync-store.ts';
import { ForumDoorPanel } from './ForumDoorPanel.tsx';
import { ForumPicker } from './ForumPicker.tsx';
import { ConflictsScreen } from './ConflictsScreen.tsx';
import { ForumsDashboard } from './ForumsDashboard.tsx';
import { SettingsView } from './lifecycle/SettingsView.tsx';
import { RecentList } from './RecentList.tsx';
import { RosterExport } from './RosterExport.tsx';
import { RosterImport } from './RosterImport.tsx';
import { ResultBanner } from './ResultBanner.tsx';
import { ScanAnswerOverlay } from './ScanAnswerOverlay.tsx';
import { ScanInput } from './ScanInput.tsx';
import { SearchResults } from './SearchResults.tsx';
import { StartSelfService } from './self-service/StartSelfService.tsx';
import { StaffScreen } from './staff/StaffScreen.tsx';
import { TopBar } from './TopBar.tsx';
import { WalkInDialog } from './WalkInDialog.tsx';
import { WebcamScanner } from './WebcamScanner.tsx';

export function DoorScreen() {
  const t = useT();
  const walkInOpen = useKiosk((s) => s.walkInOpen);
  const setWalkInOpen = useKiosk((s) => s.setWalkInOpen);
  const view = useKiosk((s) => s.view);
  const syncDialogOpen = useSync((s) => s.dialogOpen);
  const forumDoor = useKiosk((s) => s.status?.device?.forumDoor ?? '');
  const banner = useKiosk((s) => s.banner);
  const overlayDismissed = useKiosk((s) => s.overlayDismissed);
  const [camera, setCamera] = useState(false);
  const [badgeFor, setBadgeFor] = useState<{ guest: Guest; auto: boolean } | null>(null);
  useAnswerSounds();
  // Where a scan is answered: on the door screen, or over another view or an open dialog.
  const inFront =
    view === 'forums'
      ? t('nav.forums')
      : view === 'roster'
        ? t('nav.roster')
        : view === 'conflicts'
          ? t('sync.conflicts')
          : walkInOpen
            ? t('walkIn.heading')
            : badgeFor !== null
              ? t('badge.heading')
              : syncDialogOpen
                ? t('pair.heading')
                : null;
  // Only answers given while that view or dialog is in front go over it, not the one already on screen.
  const frontKey =
    view !== 'door' ? view : walkInOpen ? 'walk-in' : badgeFor !== null ? 'badge' : syncDialogOpen ? 'sync' : '';
  const front = useRef({ key: '', since: 0 });
  if (front.current.key !== frontKey) front.current = { key: frontKey, since: banner?.id ?? 0 };
  const overlay =
    inFront !== null && banner !== null && banner.id > front.current.since && banner.id !== overlayDismissed;
  // "Print on check-in": a fresh check-in opens the badge and prints it at once.
  useEffect(() => {
    if (banner?.kind !== 'scan' || banner.result.status !== 'checked_in' || banner.result.guest === null) return;
    const guest = banner.result.guest;
    void api['badges.settings']({}).then((r) => r.ok && r.value.printOnCheckIn && setBadgeFor({ guest, auto: true }));
  }, [banner]);
  const closeBadge = useCallback(() => setBadgeFor(null), []);
  const admitted =
    banner?.kind === 'scan' && (banner.result.status === 'checked_in' || banner.result.status === 'already_checked_in')
      ? banner.result.guest
      : null;
  return (
    <div className="door">
      <TopBar />
      {view === 'forums' ? (
        <main className="single">
          <ForumsDashboard />
        </main>
      ) : view === 'conflicts' ? (
        <main className="single">
          <ConflictsScreen />
        </main>
      ) : view === 'staff' ? (
        <main className="single">
          <StaffScreen />
        </main>
      ) : view === 'settings' ? (
        <main className="single">
          <SettingsView />
        </main>
      ) : view === 'roster' ? (
        <main className="single">
          <RosterImport />
          <RosterExport />
          <BadgeSettingsPanel />
        </main>
      ) : (
        <main>
          <section className="scan-column">
            <ScanInput disabled={walkInOpen || syncDialogOpen} />
            {forumDoor !== '' && <ForumDoorPanel forumId={forumDoor} />}
            {(forumDoor === '' || banner?.kind === 'error') && inFront === null && <ResultBanner />}
            {forumDoor === '' && admitted && <ForumPicker guest={admitted} />}
            {forumDoor === '' && admitted && (
              <button
                type="button"
                data-testid="badge-open"
                onClick={() => setBadgeFor({ guest: admitted, auto: false })}
              >
                {t('badge.open')}
              </button>
            )}
            <SearchResults />
          </section>
          <aside>
            <div className="aside-actions">
              <button type="button" className="primary" data-testid="walk-in-open" onClick={() => setWalkInOpen(true)}>
                {t('door.walkIn')}
              </button>
              <button
                type="button"
                aria-pressed={camera}
                data-testid="webcam-toggle"
                onClick={() => setCamera(!camera)}
              >
                {t('webcam.toggle')}
              </button>
              <StartSelfService />
            </div>
            {camera && <WebcamScanner />}
            <RecentList />
          </aside>
        </main>
      )}
      {walkInOpen && <WalkInDialog />}
      {badgeFor && <BadgePreview guest={badgeFor.guest} autoPrint={badgeFor.auto} onClose={closeBadge} />}
      {overlay && <ScanAnswerOverlay where={inFront} />}
    </div>
  );
}
