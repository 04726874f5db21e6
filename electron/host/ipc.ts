import { ipcChannel } from '../../shared/api.ts';
import { methodNames } from '../../shared/contract.ts';
import { fail, type Result } from '../../shared/result.ts';

/**
 * Binds the contract to Electron IPC without importing electron: main passes `ipcMain` in (structurally
 * typed here), so this file stays testable in plain Node. One channel per method; every call checks the
 * sender frame first (VS Code's validatedIpcMain) and parses its input in `dispatch`.
 */
export interface IpcSenderFrame {
  url: string;
}

export interface IpcInvokeEvent {
  senderFrame: IpcSenderFrame | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEvent, input: unknown) => Promise<unknown> | unknown): void;
  removeHandler(channel: string): void;
}

export function bindIpc(
  ipcMain: IpcMainLike,
  dispatch: (method: string, input: unknown) => Result<unknown>,
  isTrustedUrl: (url: string) => boolean,
): () => void {
  for (const method of methodNames) {
    ipcMain.handle(ipcChannel(method), (event, input) => {
      const url = event.senderFrame?.url ?? '';
      if (!isTrustedUrl(url)) return fail('forbidden', `IPC from an untrusted frame: ${url.slice(0, 100)}`);
      return dispatch(method, input);
    });
  }
  return () => {
    for (const method of methodNames) ipcMain.removeHandler(ipcChannel(method));
  };
}
