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
const transport: LanyardApi = window.lanyard ?? httpApi();

/**
 * What the screen does when the core refuses a call for who is at the door: for `supervisor_required`,
 * ask for a supervisor's PIN (true = approved, so the same call is retried); for `sign_in_required`,
 * show the sign-in (false). Registered by the staff store; every screen, also future ones, gets it.
 */
type RefusalHandler = (code: 'supervisor_required' | 'sign_in_required', method: MethodName) => Promise<boolean>;
let onRefusal: RefusalHandler | null = null;
export function handleRefusals(handler: RefusalHandler): void {
  onRefusal = handler;
}

export const api: LanyardApi = createApi(async (method: MethodName, input: unknown): Promise<Result<unknown>> => {
  const call = transport[method] as (input: unknown) => Promise<Result<unknown>>;
  let result = await call(input);
  // Twice at most: an approval that lapsed between the prompt and the retry is asked for once more.
  for (let attempt = 0; attempt < 2 && !result.ok && onRefusal !== null; attempt++) {
    const code = result.error.code;
    if (code !== 'supervisor_required' && code !== 'sign_in_required') break;
    if (!(await onRefusal(code, method))) break;
    result = await call(input);
  }
  return result;
});
export const shell: LanyardShell | null = window.lanyardShell ?? null;
