import { createApi, httpRoute, type LanyardApi } from '../../../shared/api.ts';
import type { MethodName } from '../../../shared/contract.ts';
import { fail, type Result } from '../../../shared/result.ts';

import type { LanyardShell } from '../../../shared/shell.ts';

declare global {
  interface Window {
    lanyard?: LanyardApi;
    lanyardShell?: LanyardShell;
  }
}

/** The HTTP binding of the contract, for a browser on the loopback host. */
function httpApi(): LanyardApi {
  return createApi(async (method: MethodName, input: unknown): Promise<Result<unknown>> => {
    try {
      const response = await fetch(httpRoute(method), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      if (!response.ok) return fail('internal', `HTTP ${response.status}: ${await response.text()}`);
      return (await response.json()) as Result<unknown>;
    } catch (error) {
      return fail('internal', `the kiosk core is not answering: ${(error as Error).message}`);
    }
  });
}

/** In Electron the preload's IPC API; in a browser, HTTP to the host that served this page. */
export const api: LanyardApi = window.lanyard ?? httpApi();
export const shell: LanyardShell | null = window.lanyardShell ?? null;
