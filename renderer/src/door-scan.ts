import { useEffect } from 'react';
import { useForums } from './forum-store.ts';
import { installScanCapture, type CapturedScan } from './scan-capture.ts';
import { useSelfService } from './self-service-store.ts';
import { warmUpAudio } from './sounds.ts';
import { useKiosk } from './store.ts';

/**
 * Answers a scanner burst caught anywhere on the page: in self-service by the guests' own scan, at a room
 * door by the room's scan, otherwise by the venue check-in. The answer shows on the door screen, or over another view or a dialog
 * (ScanAnswerOverlay), which are left exactly as they were.
 */
export function answerScan(scan: CapturedScan): void {
  const kiosk = useKiosk.getState();
  if (kiosk.status?.event == null) return; // no event yet: nothing to check a code against
  warmUpAudio();
  if (useSelfService.getState().active === true) {
    void useSelfService.getState().scan(scan.code); // a guest's badge at the self-service screen
    return;
  }
  const forumDoor = kiosk.status.device?.forumDoor ?? '';
  if (forumDoor !== '') {
    if (kiosk.view !== 'door') kiosk.setView('door');
    void useForums.getState().scan(scan.code, scan.endAt, false, scan.firstKeyAt);
    return;
  }
  void kiosk.scan(scan.code, scan.endAt, scan.firstKeyAt);
}

/** Installs window-level scan capture for as long as the app is mounted. */
export function useScanCapture(): void {
  useEffect(() => installScanCapture(answerScan), []);
}
