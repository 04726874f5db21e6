import path from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, powerSaveBlocker } from 'electron';
import { createDispatcher } from '../core/dispatch.ts';
import { createKiosk, idempotencyOf } from '../core/kiosk.ts';
import { createLogger } from '../core/log.ts';
import { bindIpc } from '../host/ipc.ts';
import { SHELL_CHANNELS } from '../../shared/shell.ts';
import { listPrinters, printBadge } from './printing.ts';
import { isAppUrl, registerSchemePrivileges, serveRenderer } from './protocol.ts';
import { CloseGuard } from './lockdown.ts';
import { createKioskWindow } from './window.ts';
import { appSecretBox } from './secrets.ts';

/**
 * The Electron shell: lifecycle, the locked-down window, IPC, kiosk lock. Everything else is the
 * host-agnostic core, which also runs behind the loopback HTTP host (`npm run web`).
 */
const log = createLogger('main');

// Files the kiosk writes (database, backups, exports) hold guests' data: owner-only whatever the umask.
if (process.platform !== 'win32') process.umask(0o077);

// Scheme privileges must be registered before the app is ready.
registerSchemePrivileges();

if (!app.requestSingleInstanceLock()) {
  // A second kiosk on the same data directory would fight over the database: hand over and quit.
  app.quit();
} else {
  let win: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  // No application menu: its default accelerators reload the page, open dev tools and close the window.
  Menu.setApplicationMenu(null);
  let closeGuard = new CloseGuard(true);

  void app.whenReady().then(() => {
    const dataDir = process.env['LANYARD_DATA'] ?? path.join(app.getPath('userData'), 'kiosk');
    const secrets = appSecretBox((m) => log.warn(m, {}));
    const kiosk = createKiosk({ dataDir, now: Date.now, secrets, appLock: true });
    const dispatch = createDispatcher(kiosk.handlers, idempotencyOf(kiosk, Date.now));
    kiosk.startBackground(); // sync once paired, rolling backups; the door never waits for either
    serveRenderer(path.join(app.getAppPath(), 'dist', 'renderer'));
    bindIpc(ipcMain, dispatch, isAppUrl);

    // Leaving kiosk mode: the PIN is checked here in main, never trusted from the renderer.
    ipcMain.handle(SHELL_CHANNELS.listPrinters, (event) => {
      if (!isAppUrl(event.senderFrame?.url ?? '') || win === null) return [];
      return listPrinters(win.webContents);
    });
    ipcMain.handle(SHELL_CHANNELS.printBadge, (event, input: unknown) => {
      if (!isAppUrl(event.senderFrame?.url ?? ''))
        return { ok: false, error: { code: 'forbidden', message: 'untrusted frame' } };
      return printBadge(input);
    });
    ipcMain.handle(SHELL_CHANNELS.exitKiosk, (event, pin: unknown) => {
      if (!isAppUrl(event.senderFrame?.url ?? ''))
        return { ok: false, error: { code: 'forbidden', message: 'untrusted frame' } };
      const result = dispatch('kiosk.checkPin', { pin: typeof pin === 'string' ? pin : '' });
      if (result.ok && win) {
        closeGuard.unlock();
        win.setKiosk(false);
        win.setFullScreen(false);
      }
      return result;
    });

    // A door screen must not go to sleep in the middle of the arrivals.
    const blocker = powerSaveBlocker.start('prevent-display-sleep');
    const kioskMode = !process.argv.includes('--no-kiosk') && process.env['LANYARD_NO_KIOSK'] !== '1';
    win = createKioskWindow(path.join(app.getAppPath(), 'dist-electron', 'preload.cjs'), kioskMode);
    closeGuard = new CloseGuard(kioskMode);
    win.on('close', (event) => {
      if (closeGuard.allowClose()) return;
      event.preventDefault();
      win?.webContents.send(SHELL_CHANNELS.closeRequested);
    });
    log.info('kiosk started', { dataDir, kioskMode });

    app.on('window-all-closed', () => {
      powerSaveBlocker.stop(blocker);
      kiosk.close();
      app.quit();
    });
  });
}
