import type { Database } from 'better-sqlite3';
import { LanyardFailure } from '../../../shared/result.ts';
import type { SyncReport, SyncStatus } from '../../../shared/sync/status.ts';
import type { CodeService } from '../badges/codes/signed-codes.ts';
import { createLogger } from '../log.ts';
import type { MetaStore } from '../meta.ts';
import type { SecretBox } from '../secrets.ts';
import { applyPulled, type Projections } from './apply.ts';
import { SyncClient, SyncHttpError } from './client.ts';
import { describeSyncError, syncFailure } from './failure.ts';
import type { ConflictStore } from './conflicts.ts';
import { Outbox } from './outbox.ts';
import { pairWithServer } from './pairing.ts';
import { SyncState } from './state.ts';
import { SyncTransfer } from './transfer.ts';

const log = createLogger('sync');

/** Beyond this offset between our clock and the server's, staff see a warning; nothing stops (R10). */
export const CLOCK_WARNING_MS = 60_000;

export interface SyncDeps {
  db: Database;
  meta: MetaStore;
  projections: Projections;
  codes: CodeService;
  conflicts: ConflictStore;
  deviceId: string;
  now: () => number;
  secrets: SecretBox;
}

/**
 * The kiosk's half of sync (architecture.md §6). Push: this device's facts after the server's
 * watermark, in batches with a content-derived Idempotency-Key, so a retry after a lost answer replays
 * the stored one (R6). Pull: pages after the saved cursor, applied and the cursor saved in one
 * transaction (R8). The server's version vector resets our watermark when it is behind (R9). Nothing
 * is ever deleted because of a server answer; refused facts are kept and listed.
 */
export class SyncEngine {
  private readonly deps: SyncDeps;
  private readonly outbox: Outbox;
  private readonly transfer: SyncTransfer;
  private readonly state: SyncState;
  private running: Promise<SyncReport> | null = null;
  private phase: 'idle' | 'pairing' | 'syncing' = 'idle';
  /** The server's Retry-After on the last failure (ms), for the loop's next delay. */
  retryAfterMs = 0;
  /** Set by the loop: when it will try next. */
  nextAttemptMs: number | null = null;

  constructor(deps: SyncDeps) {
    this.deps = deps;
    this.state = new SyncState(deps.meta, deps.secrets);
    this.outbox = new Outbox(deps.db, deps.deviceId);
    this.transfer = new SyncTransfer({
      db: deps.db,
      projections: deps.projections,
      codes: deps.codes,
      deviceId: deps.deviceId,
      now: deps.now,
      outbox: this.outbox,
      get: (key) => this.state.get(key),
      set: (key, value) => this.state.set(key, value),
      acked: () => this.state.acked(),
      apply: (raw) => this.apply(raw),
    });
  }

  /** A pairing or a sync round is running. */
  get busy(): boolean {
    return this.phase !== 'idle' || this.running !== null;
  }

  get paired(): boolean {
    return this.state.paired;
  }

  get needsReauth(): boolean {
    return this.state.needsReauth;
  }

  /** Pairs with a server by a one-time code, installs the event's package, then syncs once. */
  async pair(url: string, code: string): Promise<SyncReport> {
    if (this.busy) throw new LanyardFailure('sync_busy', 'a pairing or sync is already running');
    this.phase = 'pairing';
    this.state.lastError = null;
    try {
      const { db, meta, projections, codes, deviceId, now, secrets } = this.deps;
      await pairWithServer(
        { db, meta, state: this.state, guests: projections.guests, codes, deviceId, now, secrets },
        url,
        code,
      );
    } catch (error) {
      this.state.lastError = describeSyncError(error);
      throw syncFailure(error);
    } finally {
      this.phase = 'idle';
    }
    return this.syncOnce();
  }

  /** One full round (push, pull, repeat while the server is behind); concurrent callers share it. */
  syncOnce(): Promise<SyncReport> {
    this.running ??= this.round().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async round(): Promise<SyncReport> {
    const url = this.state.get('url');
    const token = this.state.token();
    if (this.needsReauth) {
      // The server's refusal stays the reason (device_revoked) until the kiosk is paired again.
      const code = this.state.lastError?.code === 'device_revoked' ? 'device_revoked' : 'sync_reauth';
      throw new LanyardFailure(code, 'the server refused this kiosk; pair it again (scanning keeps working)');
    }
    if (url === null || token === null)
      throw new LanyardFailure('not_paired', 'this kiosk is not paired with a server');
    const client = new SyncClient(url, token, this.deps.now);
    this.phase = 'syncing';
    this.state.set('last_attempt_ms', this.deps.now());
    try {
      let pushed = 0;
      let pulled = 0;
      for (let round = 0; round < 3; round++) {
        pushed += await this.transfer.pushAll(client);
        pulled += await this.transfer.pullAll(client);
        if (this.pending() === 0) break;
      }
      this.state.set('last_ok_ms', this.deps.now());
      this.state.set('outcome', 'ok');
      this.state.lastError = null;
      const list = this.deps.conflicts.list();
      return {
        pushed,
        pulled,
        duplicates: list.duplicates.length,
        conflicts: list.forumConflicts.length,
        cursor: this.state.get('cursor') ?? '',
      };
    } catch (error) {
      this.state.set('outcome', 'failed');
      this.state.lastError = describeSyncError(error);
      this.retryAfterMs = error instanceof SyncHttpError ? error.retryAfterMs : 0;
      if (error instanceof SyncHttpError && error.needsReauth) {
        this.state.set('reauth', '1');
        log.warn('server refused our token; waiting for re-pairing', { status: error.status });
      }
      throw syncFailure(error);
    } finally {
      this.phase = 'idle';
    }
  }

  /**
   * This kiosk published the event's package of this revision itself (the venue hub serves its own
   * event): there is nothing to download back, and downloading it would undo an edit made since.
   */
  notePackageRevision(revision: number): void {
    if (revision > Number(this.state.get('package_rev') ?? '0')) this.state.set('package_rev', revision);
  }

  /** Pushes what the server lacks, without pulling (the benchmark times push on its own). */
  async pushPending(): Promise<number> {
    const url = this.state.get('url');
    const token = this.state.token();
    if (url === null || token === null)
      throw new LanyardFailure('not_paired', 'this kiosk is not paired with a server');
    return this.transfer.pushAll(new SyncClient(url, token, this.deps.now));
  }

  /**
   * Applies pulled facts (checked here, parked when they fail) to the log and the projections; the caller
   * holds the transaction. The pull loop calls it with each page; the projection agreement test too.
   */
  apply(raw: readonly unknown[]): number {
    return applyPulled(this.deps.db, this.deps.projections, raw, this.deps.now());
  }

  pending(): number {
    return this.outbox.pending(this.state.acked());
  }

  status(): SyncStatus {
    const paired = this.paired;
    const offset = this.state.get('offset_ms');
    const lastOk = this.state.get('last_ok_ms');
    const lastAttempt = this.state.get('last_attempt_ms');
    const iso = (ms: string | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
    const state: SyncStatus['state'] = !paired
      ? this.phase === 'pairing'
        ? 'pairing'
        : 'unpaired'
      : this.needsReauth
        ? 'reauth'
        : this.phase === 'syncing'
          ? 'syncing'
          : this.state.get('outcome') === 'ok'
            ? 'online'
            : 'offline';
    return {
      state,
      paired,
      serverUrl: this.state.get('url') ?? '',
      eventId: this.state.get('event') ?? '',
      lastSyncAt: iso(lastOk),
      lastAttemptAt: iso(lastAttempt),
      nextAttemptAt: this.nextAttemptMs === null ? null : new Date(this.nextAttemptMs).toISOString(),
      lastError: this.state.lastError,
      pending: this.outbox.pending(paired ? this.state.acked() : 0),
      rejected: this.outbox.rejectedCount(),
      parked: this.outbox.parkedCount(),
      clockOffsetMs: offset === null ? null : Number(offset),
      clockWarning: offset !== null && Math.abs(Number(offset)) > CLOCK_WARNING_MS,
      openConflicts: this.deps.conflicts.openCount(),
    };
  }
}
