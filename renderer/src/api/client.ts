import { createApi, httpRoute, type LanyardApi } from '../../../shared/api.ts';
import type { MethodName } from '../../../shared/contract.ts';
import { takesIdempotencyKey } from '../../../shared/idempotency.ts';
import { fail, type Result } from '../../../shared/result.ts';

import type { LanyardShell } from '../../../shared/shell.ts';

declare global {
  interface Window {
    lanyard?: LanyardApi;
    lanyardShell?: LanyardShell;
  }
}

const RETRY_DELAYS_MS = [150, 600];

/**
 * The HTTP binding of the contract, for a browser on the loopback host. A call that changes something
 * carries a fresh Idempotency-Key; when its answer is lost (the connection dropped, the host restarted)
 * it is sent again with the same key, and the core answers the first outcome instead of doing it twice.
 */
function httpApi(): LanyardApi {
  return createApi(async (method: MethodName, input: unknown): Promise<Result<unknown>> => {
    const key = takesIdempotencyKey(method) ? crypto.randomUUID() : null;
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (key !== null) headers['Idempotency-Key'] = key;
    const body = JSON.stringify(input);
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetch(httpRoute(method), { method: 'POST', headers, body });
        if (!response.ok) return fail('internal', `HTTP ${response.status}: ${await response.text()}`);
        return (await response.json()) as Result<unknown>;
      } catch (error) {
        // Only a call with a key is safe to send again; a read is too, as it changes nothing.
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined)
          return fail('internal', `the kiosk core is not answering: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
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
