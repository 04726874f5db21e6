import type { Database } from 'better-sqlite3';
import { IDEMPOTENCY_KEY, takesIdempotencyKey } from '../../shared/idempotency.ts';
import { fail, type Result } from '../../shared/result.ts';

const KEEP_MS = 24 * 3600_000;

class Refused extends Error {
  readonly result: Result<unknown>;
  constructor(result: Result<unknown>) {
    super('refused');
    this.result = result;
  }
}

/**
 * Exactly-once calls for clients that retry. The call and the record of its answer commit in one SQLite
 * transaction (better-sqlite3 nests the handler's own transactions as savepoints inside it), so after a
 * crash either both are there — the retry gets the stored answer — or neither is and the retry runs the
 * call for the first time. A refused call writes nothing and stores nothing: its retry is tried afresh.
 */
export class IdempotencyStore {
  private readonly db: Database;
  private readonly now: () => number;
  constructor(db: Database, now: () => number) {
    this.db = db;
    this.now = now;
    db.prepare(`DELETE FROM idempotency_keys WHERE wall_ms < ?`).run(now() - KEEP_MS);
  }

  run(method: string, key: string, call: () => Result<unknown>): Result<unknown> {
    if (!takesIdempotencyKey(method)) return call();
    if (!IDEMPOTENCY_KEY.test(key))
      return fail('invalid_input', 'Idempotency-Key: 16–128 characters of A–Z a–z 0–9 _ -');
    try {
      return this.db.transaction(() => {
        const stored = this.db.prepare(`SELECT method, result FROM idempotency_keys WHERE key = ?`).get(key) as
          { method: string; result: string } | undefined;
        if (stored !== undefined) {
          if (stored.method !== method)
            return fail('invalid_input', `this Idempotency-Key was used for ${stored.method}, not ${method}`);
          return JSON.parse(stored.result) as Result<unknown>;
        }
        const result = call();
        if (!result.ok) throw new Refused(result);
        this.db
          .prepare(`INSERT INTO idempotency_keys (key, method, result, wall_ms) VALUES (?, ?, ?, ?)`)
          .run(key, method, JSON.stringify(result), this.now());
        return result;
      })();
    } catch (error) {
      if (error instanceof Refused) return error.result;
      throw error;
    }
  }
}

/**
 * The idempotency store of whatever database the kiosk has open now: closing the event and starting the
 * next one replaces the database under the same transports.
 */
export function idempotencyOf(
  kiosk: { readonly db: Database | null },
  now: () => number,
): Pick<IdempotencyStore, 'run'> {
  let current: { db: Database; store: IdempotencyStore } | null = null;
  return {
    run: (method, key, call) => {
      if (kiosk.db === null) return call();
      if (current?.db !== kiosk.db) current = { db: kiosk.db, store: new IdempotencyStore(kiosk.db, now) };
      return current.store.run(method, key, call);
    },
  };
}
