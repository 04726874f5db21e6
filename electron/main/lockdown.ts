import path from 'node:path';
import type { Input, WebPreferences } from 'electron';

/**
 * The kiosk's lock-down rules as plain functions (R17–R19 of docs/design/sync-and-security.md), so a unit test can
 * check them without starting Electron (which cannot run on our CI). window.ts and main.ts apply them.
 */

/** Per Electron's security checklist; dev tools exist only in a development build. */
export function kioskWebPreferences(preloadPath: string, packaged: boolean): WebPreferences {
  return {
    preload: path.resolve(preloadPath),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    spellcheck: false,
    devTools: !packaged,
  };
}

type Keys = Pick<Input, 'type' | 'key' | 'control' | 'meta' | 'shift' | 'alt'>;

/**
 * Keys that would reload the page, open dev tools, close or quit the window, or print the page: swallowed
 * before the page or a menu sees them. (The application menu is removed too; this also covers
 * accelerators Chromium handles itself.) Window closing that reaches the OS (Alt+F4) is the close guard's.
 */
export function isBlockedShortcut(input: Keys, packaged: boolean): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.toLowerCase();
  const mod = input.control || input.meta;
  if (key === 'f5' || key === 'browserrefresh') return true;
  if (mod && (key === 'r' || key === 'w' || key === 'q' || key === 'p' || key === 'n' || key === 't')) return true;
  if (mod && key === 'f4') return true;
  if (!packaged) return false; // developers keep F12 and Ctrl+Shift+I
  if (key === 'f12') return true;
  if (mod && input.shift && (key === 'i' || key === 'j' || key === 'c')) return true;
  if (input.meta && input.alt && (key === 'i' || key === 'j' || key === 'c')) return true; // macOS dev tools
  return false;
}

/**
 * Closing the window in kiosk mode (Alt+F4, the window manager, Ctrl+W) leaves the kiosk like the exit
 * button does, so it needs the same PIN: the first close is refused and the screen asks for the PIN;
 * once a PIN was accepted (the kiosk is unlocked) a close goes through.
 */
export class CloseGuard {
  private unlocked: boolean;
  constructor(kioskMode: boolean) {
    this.unlocked = !kioskMode;
  }
  unlock(): void {
    this.unlocked = true;
  }
  /** true: let the window close; false: prevent it and ask for the PIN. */
  allowClose(): boolean {
    return this.unlocked;
  }
}

/** The window opens nothing: no pop-ups, and no links handed to the system browser (a way out of the kiosk). */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}
