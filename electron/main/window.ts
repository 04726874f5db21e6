import { app, BrowserWindow, session } from 'electron';
import { isBlockedShortcut, kioskWebPreferences, windowOpenDecision } from './lockdown.ts';
import { APP_ORIGIN, isAppUrl } from './protocol.ts';

/**
 * The kiosk window, locked down per Electron's security checklist: isolated, sandboxed, no Node in the
 * renderer, no navigation away, no new windows, and only the camera permission (webcam scanning).
 */
export function createKioskWindow(preloadPath: string, kiosk: boolean): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    kiosk,
    fullscreen: kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#f4f5f7',
    webPreferences: kioskWebPreferences(preloadPath, app.isPackaged),
  });
  win.removeMenu();
  win.webContents.on('before-input-event', (event, input) => {
    if (isBlockedShortcut(input, app.isPackaged)) event.preventDefault();
  });

  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(() => windowOpenDecision());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());

  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const fromUs = isAppUrl(details.requestingUrl) && webContents === win.webContents;
    const camera =
      permission === 'media' && 'mediaTypes' in details && (details.mediaTypes ?? []).every((t) => t === 'video');
    callback(fromUs && camera);
  });
  ses.setPermissionCheckHandler(
    (_webContents, permission, requestingOrigin) => permission === 'media' && requestingOrigin === APP_ORIGIN,
  );

  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}
