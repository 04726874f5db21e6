import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { MAX_PULL_FACTS, type PulledPage, type PushResponse } from '../../../shared/sync/protocol.ts';
import type { CodeService } from '../badges/codes/signed-codes.ts';
import { withBulkCache } from '../db/page-cache.ts';
import { WalSyncer, withoutSync } from '../db/without-sync.ts';
import { createLogger } from '../log.ts';
import type { Projections } from './apply.ts';
import type { SyncClient, Timed } from './client.ts';
import type { Outbox } from './outbox.ts';
import { installPackage } from './package.ts';

const log = createLogger('sync');

/**
 * Pages up to as big as the server serves (20,000 facts): a first pull of 100,000 facts is 5 round trips,
 * and the server reads and sends the next page while this kiosk applies the last one.
 */
const PULL_PAGE = MAX_PULL_FACTS;
/** A round's first page: what the 5,000-fact pages always were. */
const FIRST_PAGE = 5_000;
const MIN_PAGE = 500;
/**
 * Each next page is sized to arrive in about this long at the pace the last one came (its request to its
 * answer, this kiosk's own apply included): on a LAN that is the full 20,000 at once, while a door on a
 * slow link (a 20,000-fact page is about 6 MB) asks for less and stays well inside the 30 s request timeout.
 */
const PAGE_TARGET_MS = 8_000;
/**
 * Pulled pages gathered before their cursor is saved, up to about this many facts (one full page): short
 * pages (cut by the server's byte budget) gather with the next instead of saving the cursor each.
 */
const APPLY_GROUP_FACTS = 20_000;
/**
 * A group is applied in slices of this many facts, each its own transaction, with the door's turn
 * between them: a scan arriving during a first pull waits one slice, not a whole 20,000-fact page
 * (0.8–1.3 s on a quiet machine). Each slice commits its facts with their projections; the cursor goes in
 * with the group's last slice only, so it never runs ahead of the facts committed (R8). Not smaller:
 * every slice re-reads and rewrites what it shares with the last (the random-keyed index pages of fact
 * ids and entries, each guest's attendance and rooms). In the sync bench (main and this alternating, load
 * 12–16) the kiosk spent 6.1–7.0 s of CPU on 100,000 facts in pages of 20,000 at once, 6.5 s in slices
 * of 2,500 (the door's longest wait 1.3 s against 3.0–4.0 s) and 8.9–9.1 s in slices of 1,000 (0.8 s).
 */
const APPLY_SLICE_FACTS = 2_500;

/**
 * How the pull is cut: at most `pageFacts` asked per page; `groupFacts` facts per saved cursor, or
 * (unset) a page that came back as full as asked at once and short pages gathered up to its size;
 * `sliceFacts` facts per transaction (APPLY_SLICE_FACTS unset).
 */
export interface PullSizes {
  pageFacts: number;
  groupFacts?: number;
  sliceFacts?: number;
}

/** One turn of the event loop: a scan (IPC or the loopback host) waiting on the door's thread goes first. */
const doorsTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The next page's size: what arrives in PAGE_TARGET_MS at the pace of the last one, within bounds. */
export function nextPageFacts(answer: Timed<PulledPage>, max: number): number {
  const ms = Math.max(1, answer.receivedMs - answer.sentMs);
  const paced = Math.round((answer.body.facts.length / ms) * PAGE_TARGET_MS);
  return Math.min(max, Math.max(MIN_PAGE, paced));
}

/** What the push and pull transfers need from the engine: its store, its sync_* meta and its apply. */
export interface TransferContext {
  db: Database;
  projections: Projections;
  codes: CodeService;
  deviceId: string;
  now: () => number;
  outbox: Outbox;
  get(key: string): string | null;
  set(key: string, value: string | number): void;
  acked(): number;
  apply(raw: readonly unknown[]): number;
}

/**
 * The two transfers of a sync round (architecture.md §6), moved out of SyncEngine unchanged: push sends
 * this device's facts after the server's watermark; pull applies pages after the saved cursor.
 */
export class SyncTransfer {
  private readonly ctx: TransferContext;

  constructor(ctx: TransferContext) {
    this.ctx = ctx;
  }

  private get(key: string): string | null {
    return this.ctx.get(key);
  }

  private set(key: string, value: string | number): void {
    this.ctx.set(key, value);
  }

  private acked(): number {
    return this.ctx.acked();
  }

  private apply(raw: readonly unknown[]): number {
    return this.ctx.apply(raw);
  }

  private observeClock<T>(answer: Timed<T & { serverTime: number }>): void {
    const offset = answer.body.serverTime - Math.round((answer.sentMs + answer.receivedMs) / 2);
    // Without a sync of its own (a hint for the clock warning, measured again next answer): a FULL commit
    // here, once per pulled page, synced on the door's thread every slice the pull committed without one.
    withoutSync(this.ctx.db, () => this.set('offset_ms', offset));
  }

  async pushAll(client: SyncClient): Promise<number> {
    let from = this.acked();
    let acked = from;
    let stored = 0;
    // Two batches in flight: the next one travels and is parsed while the server commits the last.
    // Answers are handled in the order the batches were sent; the server serialises one device's pushes.
    const inFlight: Array<Promise<Timed<PushResponse>>> = [];
    const settle = async () => {
      const answer = await inFlight.shift()!;
      this.observeClock(answer);
      const rejected = answer.body.results.filter((r) => r.status === 'rejected');
      stored += answer.body.results.filter((r) => r.status === 'stored').length;
      acked = answer.body.ackedThrough;
      if (rejected.length > 0) {
        this.ctx.outbox.recordRejected(rejected, this.ctx.now());
        log.warn('server refused facts; kept here and listed', { count: rejected.length });
      }
    };
    try {
      for (;;) {
        const batch = this.ctx.outbox.batchAfter(from);
        if (batch.length === 0) break;
        const last = batch[batch.length - 1]!.deviceSeq;
        // Derived from the batch itself: a retry of the same batch (the answer was lost) replays the
        // server's stored answer instead of being processed twice.
        const key = `${this.ctx.deviceId}:${batch[0]!.deviceSeq}-${last}:${createHash('sha256')
          .update(batch.map((e) => e.id).join(','))
          .digest('hex')
          .slice(0, 24)}`;
        const request = client.push(batch, key);
        request.catch(() => {}); // awaited in settle(); this only keeps a failure from going unhandled
        inFlight.push(request);
        // A refused fact holds the server's watermark below `last`; carry on past this batch anyway.
        from = last;
        if (inFlight.length >= 2) await settle();
      }
      while (inFlight.length > 0) await settle();
      return stored;
    } finally {
      // Drain what is still travelling so nothing settles after we return (its outcome is not needed:
      // the server's watermark, read again next round, is the truth).
      await Promise.allSettled(inFlight);
      // The watermark is written once per push, not per batch (one fsync instead of fifty); if the
      // process dies before this, the next round re-pushes and the server answers "duplicate".
      if (acked !== this.acked()) this.set('acked', acked);
    }
  }

  pullAll(client: SyncClient, sizes: PullSizes = { pageFacts: PULL_PAGE }): Promise<number> {
    // Bulk work: a big pull's slices revisit the same pages (db/page-cache.ts); scans between them share it.
    return withBulkCache(this.ctx.db, () => this.pullAllNow(client, sizes));
  }

  private async pullAllNow(client: SyncClient, sizes: PullSizes): Promise<number> {
    const { db, projections } = this.ctx;
    let applied = 0;
    let group: PulledPage[] = [];
    let groupFacts = 0;
    // Each slice of a group commits its facts with their projections; the cursor that follows the group
    // goes in with its last slice (R8: the cursor is never ahead of the facts committed; facts committed
    // before their cursor are read again by the next pull and skipped, as stored already). Committed
    // without a sync of their own (withoutSync): a power loss may take back the last slices and their
    // cursor (WAL never reorders commits), and the next pull reads them again; the door's next scan
    // (FULL) makes them durable. Between slices the door's scans go first. Each slice's frames are synced
    // off the door's thread meanwhile (WalSyncer), so that scan's commit syncs little more than its own.
    const slice = sizes.sliceFacts ?? APPLY_SLICE_FACTS;
    const wal = new WalSyncer(db);
    const applyGroup = async () => {
      const pages = group;
      group = [];
      groupFacts = 0;
      const last = pages[pages.length - 1]!;
      const raw = pages.length === 1 ? last.facts : pages.flatMap((page) => page.facts);
      let from = 0;
      for (;;) {
        const to = Math.min(raw.length, from + slice);
        const final = to === raw.length;
        withoutSync(db, () =>
          db.transaction(() => {
            applied += this.apply(from === 0 && final ? raw : raw.slice(from, to));
            if (!final) return;
            this.set('cursor', last.cursor);
            // R9: the server's watermark for us is the truth; if it fell back (restored backup), re-push.
            this.set('acked', last.versionVector[this.ctx.deviceId] ?? 0);
          })(),
        );
        wal.kick();
        if (final) return;
        from = to;
        await doorsTurn();
      }
    };
    let asked = Math.min(FIRST_PAGE, sizes.pageFacts);
    let next: Promise<Timed<PulledPage>> | null = client.pull(this.get('cursor') ?? '', asked);
    try {
      while (next !== null) {
        const answer: Timed<PulledPage> = await next;
        this.observeClock(answer);
        const page: PulledPage = answer.body;
        // This page is applied with the group once it holds as many as were asked for it (a short page,
        // cut by the server's byte budget, gathers with the next).
        const groupLimit = Math.min(sizes.groupFacts ?? asked, APPLY_GROUP_FACTS);
        // The next page travels (and the server reads it) while this one is applied.
        asked = nextPageFacts(answer, sizes.pageFacts);
        next = page.hasMore ? client.pull(page.cursor, asked) : null;
        next?.catch(() => {}); // awaited in the next turn; this only keeps a failure from going unhandled
        if (page.packageRevision > Number(this.get('package_rev') ?? '0')) {
          // Pages already gathered were pulled under the old package: applied under it first.
          if (group.length > 0) await applyGroup();
          const pkg = await client.package();
          db.transaction(() => {
            installPackage(db, pkg.body.package, projections.guests, this.ctx.codes);
            this.set('package_rev', pkg.body.revision);
          })();
          log.info('event package refreshed', { revision: pkg.body.revision });
        }
        if (page.reset) log.warn('the server did not know our cursor (restored?); reading its log from the start');
        group.push(page);
        groupFacts += page.facts.length;
        if (next === null || groupFacts >= groupLimit) await applyGroup();
      }
      return applied;
    } finally {
      // A failure leaves the page still travelling: let it settle (its answer is not needed; the saved
      // cursor says where the next round starts).
      if (next !== null) await Promise.allSettled([next]);
      await wal.close();
    }
  }
}
