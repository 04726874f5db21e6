import type { MethodInput, MethodName, MethodOutput } from './contract.ts';
import type { Result } from './result.ts';

/**
 * The API as a client sees it, derived from the contract: `api['guests.scan']({code})` resolves to a
 * Result. The preload exposes exactly this shape (it `satisfies LanyardApi`), and so does the HTTP client.
 */
export type LanyardApi = { [M in MethodName]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>> };

/** The transport-neutral call every binding implements: method name and raw input in, a Result out. */
export type Invoke = (method: MethodName, input: unknown) => Promise<Result<unknown>>;

/** The IPC channel name for a method: one channel per method, so the main process can allow-list them. */
export function ipcChannel(method: MethodName): string {
  return `lanyard:${method}`;
}

/** The HTTP route for a method on the loopback host. */
export function httpRoute(method: MethodName): string {
  return `/api/${method}`;
}

import { methodNames } from './contract.ts';

/** Builds the typed API over any transport. */
export function createApi(invoke: Invoke): LanyardApi {
  const api: Record<string, (input: unknown) => Promise<Result<unknown>>> = {};
  for (const method of methodNames) api[method] = (input: unknown) => invoke(method, input);
  return api as LanyardApi;
}
