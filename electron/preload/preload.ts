import { contextBridge, ipcRenderer } from 'electron';
import { createApi, ipcChannel, type LanyardApi } from '../../shared/api.ts';
import type { Result } from '../../shared/result.ts';
import { SHELL_CHANNELS, type LanyardShell, type PrinterInfo } from '../../shared/shell.ts';

/**
 * Bundled into one self-contained file (a sandboxed preload cannot require our modules). It exposes
 * exactly the contract-derived API and the shell's own controls — nothing else of ipcRenderer.
 */
const api = createApi(
  (method, input) => ipcRenderer.invoke(ipcChannel(method), input) as Promise<Result<unknown>>,
) satisfies LanyardApi;

const shell = {
  exitKiosk: (pin) => ipcRenderer.invoke(SHELL_CHANNELS.exitKiosk, pin) as Promise<Result<{ unlocked: true }>>,
  listPrinters: () => ipcRenderer.invoke(SHELL_CHANNELS.listPrinters) as Promise<PrinterInfo[]>,
  printBadge: (input) => ipcRenderer.invoke(SHELL_CHANNELS.printBadge, input) as Promise<Result<{ printed: true }>>,
  onCloseRequested: (listener) => {
    const handler = () => listener();
    ipcRenderer.on(SHELL_CHANNELS.closeRequested, handler);
    return () => ipcRenderer.removeListener(SHELL_CHANNELS.closeRequested, handler);
  },
} satisfies LanyardShell;

contextBridge.exposeInMainWorld('lanyard', api);
contextBridge.exposeInMainWorld('lanyardShell', shell);
