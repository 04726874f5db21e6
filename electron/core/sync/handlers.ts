import type { Handlers } from '../../../shared/contract.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { createLogger } from '../log.ts';
import type { ConflictStore } from './conflicts.ts';
import type { SyncEngine } from './engine.ts';
import type { SyncLoop } from './loop.ts';

const log = createLogger('sync-handlers');

/** Pairing, a round now, the status the screens poll, and the conflicts staff review. */
export function syncHandlers(deps: {
  engine: SyncEngine;
  loop: SyncLoop;
  conflicts: ConflictStore;
  operator: () => string;
}): Pick<Handlers, 'sync.status' | 'sync.pair' | 'sync.now' | 'sync.conflicts' | 'sync.markReviewed'> {
  const { engine, loop, conflicts } = deps;
  const background = (work: Promise<unknown>) => {
    // The outcome shows in sync.status (state, lastError); nothing to throw to here.
    work.catch((error: unknown) => log.warn('background sync failed', { error: String(error) }));
  };
  return {
    'sync.status': () => engine.status(),
    'sync.pair': ({ url, code }) => {
      // Refused here, not in the background, so the dialog sees it at once.
      if (engine.busy) throw new LanyardFailure('sync_busy', 'a pairing or sync is already running; try again');
      background(engine.pair(url, code).then(() => loop.trigger()));
      return engine.status();
    },
    'sync.now': () => {
      if (!engine.paired) throw new LanyardFailure('not_paired', 'this kiosk is not paired with a server');
      // Through the loop when there is one, so its backoff resets and the next round follows on time.
      if (loop.active) loop.trigger();
      else background(engine.syncOnce());
      return engine.status();
    },
    'sync.conflicts': () => conflicts.list(),
    'sync.markReviewed': ({ kind, guestId }) => conflicts.markReviewed(kind, guestId, deps.operator()),
  };
}
