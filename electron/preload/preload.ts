import { contextBridge, ipcRenderer } from 'electron';
import { createApi, ipcChannel, type LanyardApi } from '../../shared/api.ts';
import type { Result } from '../../shared/result.ts';

/**
 * Bundled into one self-contained file (a sandboxed preload cannot require our modules). It exposes
 * exactly the contract-derived API — one function per method, nothing else of ipcRenderer.
 */
const api = createApi(
  (method, input) => ipcRenderer.invoke(ipcChannel(method), input) as Promise<Result<unknown>>,
) satisfies LanyardApi;

const shell = {
  exitKiosk: (pin: string) =>
    ipcRenderer.invoke('lanyard-shell:exit-kiosk', pin) as Promise<Result<{ unlocked: true }>>,
};

contextBridge.exposeInMainWorld('lanyard', api);
contextBridge.exposeInMainWorld('lanyardShell', shell);
