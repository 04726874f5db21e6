import { contract, isMethodName, type Handlers, type MethodName } from '../../shared/contract.ts';
import { fail, LanyardFailure, ok, type Result } from '../../shared/result.ts';
import type { IdempotencyStore } from './idempotency.ts';
import { createLogger } from './log.ts';
import { unexpectedFailure } from './unexpected-failure.ts';

const log = createLogger('dispatch');

/**
 * The one entry point every transport (IPC, HTTP, CLI) goes through: method name and raw input from
 * outside are untrusted; parse with the contract's zod schema, run the handler, return a Result.
 * Nothing is thrown across a boundary. Outputs are parsed too, so a handler cannot leak extra fields.
 */
export interface CallOptions {
  /** A client's key for a call it may retry (see IdempotencyStore); ignored without a store. */
  idempotencyKey?: string;
}

export function createDispatcher(
  handlers: Handlers,
  idempotency: Pick<IdempotencyStore, 'run'> | null = null,
): (method: string, input: unknown, options?: CallOptions) => Result<unknown> {
  const dispatch = (method: string, input: unknown): Result<unknown> => {
    if (!isMethodName(method)) return fail('unknown_method', `no method named ${JSON.stringify(method).slice(0, 80)}`);
    const spec = contract[method];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      return fail('invalid_input', `${method}: ${where}${issue?.message ?? 'invalid input'}`);
    }
    try {
      const handler = handlers[method] as (input: unknown) => unknown;
      return ok(spec.output.parse(handler(parsed.data)));
    } catch (error) {
      if (error instanceof LanyardFailure) return fail(error.code, error.message);
      log.error('handler failed', { method, error: String((error as Error).stack ?? error) });
      const failure = unexpectedFailure(error, `${method} failed: `);
      return fail(failure.code, failure.message);
    }
  };
  return (method, input, options = {}) => {
    const key = options.idempotencyKey;
    if (key === undefined || idempotency === null) return dispatch(method, input);
    try {
      return idempotency.run(method, key, () => dispatch(method, input));
    } catch (error) {
      // The record of the answer commits with the call, so when it cannot be written (a full disk) the
      // call is rolled back too: an answer, not a throw, and one that says nothing was saved.
      log.error('call with an idempotency key failed', { method, error: String((error as Error).stack ?? error) });
      const failure = unexpectedFailure(error, `${method} failed: `);
      return fail(failure.code, failure.message);
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;
export type { MethodName };
