import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  CloseGuard,
  isBlockedShortcut,
  kioskWebPreferences,
  windowOpenDecision,
} from '../../electron/main/lockdown.ts';

/**
 * Issue 13's static review of the Electron shell (R17–R19): Electron cannot start on our CI, so the rules
 * the shell applies live in plain functions and are checked here; window.ts and main.ts are checked to use them.
 */
const root = path.resolve(import.meta.dirname, '../..');
const key = (k: string, mods: Partial<Record<'control' | 'meta' | 'shift' | 'alt', boolean>> = {}) => ({
  type: 'keyDown' as const,
  key: k,
  control: false,
  meta: false,
  shift: false,
  alt: false,
  ...mods,
});

describe('Electron lock-down', () => {
  it('dev tools are off in a packaged build, on in development', () => {
    expect(kioskWebPreferences('preload.cjs', true).devTools).toBe(false);
    expect(kioskWebPreferences('preload.cjs', false).devTools).toBe(true);
    expect(kioskWebPreferences('preload.cjs', true)).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
  });

  it('reload, dev-tools, close and quit accelerators are swallowed in a packaged build', () => {
    const blocked = [
      key('F5'),
      key('r', { control: true }),
      key('R', { control: true, shift: true }),
      key('w', { control: true }),
      key('q', { meta: true }),
      key('F4', { control: true }),
      key('F12'),
      key('I', { control: true, shift: true }),
      key('j', { control: true, shift: true }),
      key('i', { meta: true, alt: true }),
      key('p', { control: true }),
    ];
    for (const input of blocked) expect([input, isBlockedShortcut(input, true)]).toEqual([input, true]);
  });

  it('typing, scanning and the door screen’s own keys pass', () => {
    const allowed = [
      key('1'),
      key('Enter'),
      key('Tab'),
      key('Escape'),
      key('a'),
      key('ArrowDown'),
      key('a', { control: true }),
    ];
    for (const input of allowed) expect([input, isBlockedShortcut(input, true)]).toEqual([input, false]);
    expect(isBlockedShortcut({ ...key('F5'), type: 'keyUp' }, true)).toBe(false);
  });

  it('closing the window in kiosk mode is refused until the PIN unlocked it; outside kiosk mode it closes', () => {
    const guard = new CloseGuard(true);
    expect(guard.allowClose()).toBe(false);
    guard.unlock();
    expect(guard.allowClose()).toBe(true);
    expect(new CloseGuard(false).allowClose()).toBe(true);
  });

  it('no link leaves the kiosk for the system browser', () => {
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
    const window = fs.readFileSync(path.join(root, 'electron/main/window.ts'), 'utf8');
    expect(window).not.toContain('openExternal');
    expect(window).toContain('kioskWebPreferences(');
    expect(window).toContain('isBlockedShortcut(');
    const main = fs.readFileSync(path.join(root, 'electron/main/main.ts'), 'utf8');
    expect(main).toContain('Menu.setApplicationMenu(null)');
    expect(main).toMatch(/closeGuard\.allowClose\(\)/);
  });

  it('the packaged app turns off the file:// protocol’s extra privileges (fuse)', () => {
    const config = parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
      electronFuses: Record<string, boolean>;
    };
    expect(config.electronFuses).toMatchObject({
      grantFileProtocolExtraPrivileges: false,
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });
});
