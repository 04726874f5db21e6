import type { Database } from 'better-sqlite3';
import { LanyardFailure } from '../../../shared/result.ts';
import type { Handover } from '../../../shared/sync/protocol.ts';
import type { SyncReport, SyncStatus } from '../../../shared/sync/status.ts';
import type { CodeService } from '../badges/codes/signed-codes.ts';
import { createLogger } from '../log.ts';
import type { MetaStore } from '../meta.ts';
import type { SecretBox } from '../secrets.ts';
import { applyPulled, type Projections } from './apply.ts';
import { SyncClient, SyncHttpError } from './client.ts';
import { describeSyncError, syncFailure } from './failure.ts';
import { handoverKey, hubIdOfServer, keyedHandoverProof } from './handover.ts';
import type { ConflictStore } from './conflicts.ts';
import { Outbox } from './outbox.ts';
import { installPackage } from './package.ts';
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
  private running: Promise<SyncReport> | null = null;
  private phase: 'idle' | 'pairing' | 'syncing' = 'idle';
  /** Kept in meta, so `lanyard status` in a new process still shows why the last round failed. */
  private get lastError(): { code: string; message: string } | null {
    const raw = this.get('last_error');
    return raw === null || raw === '' ? null : (JSON.parse(raw) as { code: string; message: string });
  }

  private set lastError(error: { code: string; message: string } | null) {
    if (error !== null || this.get('last_error')) this.set('last_error', error === null ? '' : JSON.stringify(error));
  }
  /** The server's Retry-After on the last failure (ms), for the loop's next delay. */
  retryAfterMs = 0;
  /** Set by the loop: when it will try next. */
  nextAttemptMs: number | null = null;

  constructor(deps: SyncDeps) {
    this.deps = deps;
    this.outbox = new Outbox(deps.db, deps.deviceId);
    this.transfer = new SyncTransfer({
      db: deps.db,
      projections: deps.projections,
      codes: deps.codes,
      deviceId: deps.deviceId,
      now: deps.now,
      outbox: this.outbox,
      get: (key) => this.get(key),
      set: (key, value) => this.set(key, value),
      acked: () => this.acked(),
      apply: (raw) => this.apply(raw),
    });
  }

  private get(key: string): string | null {
    return this.deps.meta.get(`sync_${key}`);
  }

  private set(key: string, value: string | number): void {
    this.deps.meta.set(`sync_${key}`, String(value));
  }

  /** A pairing or a sync round is running. */
  get busy(): boolean {
    return this.phase !== 'idle' || this.running !== null;
  }

  get paired(): boolean {
    return this.get('token') !== null && this.get('url') !== null;
  }

  get needsReauth(): boolean {
    return this.get('reauth') === '1';
  }

  /** The device token, unsealed; a token this machine cannot open means pairing again (kept offline). */
  private token(): string | null {
    const sealed = this.get('token');
    if (sealed === null) return null;
    try {
      return this.deps.secrets.open(sealed);
    } catch (error) {
      this.set('reauth', '1');
      this.lastError = {
        code: 'sync_reauth',
        message: `the stored server token cannot be opened here: ${(error as Error).message}`,
      };
      return null;
    }
  }

  private acked(): number {
    return Number(this.get('acked') ?? '0');
  }

  /** Pairs with a server by a one-time code, installs the event's package, then syncs once. */
  async pair(url: string, code: string): Promise<SyncReport> {
    if (this.busy) throw new LanyardFailure('sync_busy', 'a pairing or sync is already running');
    this.phase = 'pairing';
    this.lastError = null;
    try {
      const client = new SyncClient(url, '', this.deps.now);
      // Only a paired door has a token to hand over; a new one asks nothing more than its pairing.
      const hubId = this.paired ? await hubIdOfServer(client) : null;
      const moving = hubId === null ? null : this.handover(hubId);
      const paired = await client.pair(code.trim(), this.deps.deviceId, moving?.handover ?? null);
      client.token = paired.body.token;
      const pkg = await client.package();
      const { db } = this.deps;
      db.transaction(() => {
        installPackage(db, pkg.body.package, this.deps.projections.guests, this.deps.codes);
        this.set('url', url.replace(/\/+$/, ''));
        this.set('token', this.deps.secrets.seal(paired.body.token));
        this.set('event', paired.body.eventId);
        this.set('name', paired.body.name);
        this.set('package_rev', pkg.body.revision);
        this.set('cursor', '');
        // What the server already holds of ours (relayed by a venue hub, or pushed before): not sent again.
        this.set('acked', paired.body.ackedThrough ?? 0);
        this.set('reauth', '0');
        this.set('server_hub', hubId ?? '');
        if (moving !== null) this.set('handover_n', moving.handover.n);
        // On a hub, the key of the central token it left (sealed, R20), to prove a later move to another hub.
        this.set('handover_key', moving === null ? '' : this.deps.secrets.seal(moving.key));
        // The organiser named this door when making the code; that is what staff and reports call it.
        this.deps.meta.set('door', paired.body.name);
        db.prepare(`UPDATE devices SET door = ? WHERE id = ?`).run(paired.body.name, this.deps.deviceId);
      })();
      log.info('paired', { url, eventId: paired.body.eventId, name: paired.body.name });
    } catch (error) {
      this.lastError = describeSyncError(error);
      throw syncFailure(error);
    } finally {
      this.phase = 'idle';
    }
    return this.syncOnce();
  }

  /**
   * Moving to a hub: the proof, keyed with the hash of the central token — from the token while paired with
   * the central server, from the key kept since while on a hub (without it a door moving from hub A to hub B
   * stayed bound to A at the central server, which refused B's relays for it). Never paired with the central
   * server (or its key lost), there is nothing to prove with.
   */
  private handover(hubId: string): { handover: Handover; key: string } | null {
    const event = this.get('event');
    if (!this.paired || this.needsReauth || event === null) return null;
    let key: string | null = null;
    if ((this.get('server_hub') ?? '') === '') {
      const token = this.token();
      key = token === null ? null : handoverKey(token);
    } else if (this.get('handover_key')) {
      try {
        key = this.deps.secrets.open(this.get('handover_key')!);
      } catch {
        key = null;
      }
    }
    if (key === null) return null;
    const n = Number(this.get('handover_n') ?? '0') + 1;
    return { key, handover: keyedHandoverProof(key, event, this.deps.deviceId, hubId, n) };
  }

  /** One full round (push, pull, repeat while the server is behind); concurrent callers share it. */
  syncOnce(): Promise<SyncReport> {
    this.running ??= this.round().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async round(): Promise<SyncReport> {
    const url = this.get('url');
    const token = this.token();
    if (this.needsReauth) {
      // The server's refusal stays the reason (device_revoked) until the kiosk is paired again.
      const code = this.lastError?.code === 'device_revoked' ? 'device_revoked' : 'sync_reauth';
      throw new LanyardFailure(code, 'the server refused this kiosk; pair it again (scanning keeps working)');
    }
    if (url === null || token === null)
      throw new LanyardFailure('not_paired', 'this kiosk is not paired with a server');
    const client = new SyncClient(url, token, this.deps.now);
    this.phase = 'syncing';
    this.set('last_attempt_ms', this.deps.now());
    try {
      let pushed = 0;
      let pulled = 0;
      for (let round = 0; round < 3; round++) {
        pushed += await this.transfer.pushAll(client);
        pulled += await this.transfer.pullAll(client);
        if (this.pending() === 0) break;
      }
      this.set('last_ok_ms', this.deps.now());
      this.set('outcome', 'ok');
      this.lastError = null;
      const list = this.deps.conflicts.list();
      return {
        pushed,
        pulled,
        duplicates: list.duplicates.length,
        conflicts: list.forumConflicts.length,
        cursor: this.get('cursor') ?? '',
      };
    } catch (error) {
      this.set('outcome', 'failed');
      this.lastError = describeSyncError(error);
      this.retryAfterMs = error instanceof SyncHttpError ? error.retryAfterMs : 0;
      if (error instanceof SyncHttpError && error.needsReauth) {
        this.set('reauth', '1');
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
    if (revision > Number(this.get('package_rev') ?? '0')) this.set('package_rev', revision);
  }

  /** Pushes what the server lacks, without pulling (the benchmark times push on its own). */
  async pushPending(): Promise<number> {
    const url = this.get('url');
    const token = this.token();
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
    return this.outbox.pending(this.acked());
  }

  status(): SyncStatus {
    const paired = this.paired;
    const offset = this.get('offset_ms');
    const lastOk = this.get('last_ok_ms');
    const lastAttempt = this.get('last_attempt_ms');
    const iso = (ms: string | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
    const state: SyncStatus['state'] = !paired
      ? this.phase === 'pairing'
        ? 'pairing'
        : 'unpaired'
      : this.needsReauth
        ? 'reauth'
        : this.phase === 'syncing'
          ? 'syncing'
          : this.get('outcome') === 'ok'
            ? 'online'
            : 'offline';
    return {
      state,
      paired,
      serverUrl: this.get('url') ?? '',
      eventId: this.get('event') ?? '',
      lastSyncAt: iso(lastOk),
      lastAttemptAt: iso(lastAttempt),
      nextAttemptAt: this.nextAttemptMs === null ? null : new Date(this.nextAttemptMs).toISOString(),
      lastError: this.lastError,
      pending: this.outbox.pending(paired ? this.acked() : 0),
      rejected: this.outbox.rejectedCount(),
      parked: this.outbox.parkedCount(),
      clockOffsetMs: offset === null ? null : Number(offset),
      clockWarning: offset !== null && Math.abs(Number(offset)) > CLOCK_WARNING_MS,
      openConflicts: this.deps.conflicts.openCount(),
    };
  }
}
