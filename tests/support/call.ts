import { createDispatcher } from '../../electron/core/dispatch.ts';
import type { Handlers, MethodInput, MethodName, MethodOutput } from '../../shared/contract.ts';
import { LanyardFailure, type Result } from '../../shared/result.ts';

/**
 * Tests call the kiosk the way the screen, the loopback host and the CLI do: through `dispatch`, so the
 * contract's zod schemas parse the input and the output, and a thrown LanyardFailure becomes the result
 * envelope. The only part of the kiosk used is its handler map for the screen (staff gates included) or,
 * through `asOwner`, the owner's map the CLI dispatches to.
 */
export interface Dispatchable {
  handlers: Handlers;
}

/** The owner's side of a kiosk (no staff sign-in), as the CLI sees it. */
export function asOwner(kiosk: { ownerHandlers: Handlers }): Dispatchable {
  return { handlers: kiosk.ownerHandlers };
}

/** One call through dispatch; the result envelope `{ ok, value }` or `{ ok: false, error: { code, message } }`. */
export function call<M extends MethodName>(
  kiosk: Dispatchable,
  method: M,
  input: MethodInput<M>,
): Result<MethodOutput<M>> {
  return createDispatcher(kiosk.handlers)(method, input) as Result<MethodOutput<M>>;
}

/**
 * One call through dispatch that must succeed: its value, or the error re-thrown as the LanyardFailure a
 * handler throws (so `expect(() => must(…)).toThrow(LanyardFailure)` reads as it did on a handler).
 */
export function must<M extends MethodName>(kiosk: Dispatchable, method: M, input: MethodInput<M>): MethodOutput<M> {
  const result = call(kiosk, method, input);
  if (!result.ok) throw new LanyardFailure(result.error.code, result.error.message);
  return result.value;
}

/** The value of a result envelope a test expects to succeed; otherwise its error's code and message, thrown. */
export function valueOf<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}
