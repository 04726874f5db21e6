import path from 'node:path';
import { BrowserWindow, session, shell } from 'electron';
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
    webPreferences: {
      preload: path.resolve(preloadPath),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });

  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links to the outside world open in the system browser, never inside the kiosk.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
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
