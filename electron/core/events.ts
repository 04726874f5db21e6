import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { hlcFormat, hlcInit, hlcParse, hlcReceive, hlcTick, type HlcState } from '../../shared/hlc.ts';
import type { SyncEvent } from '../../shared/sync/protocol.ts';

export type { EventType } from '../../shared/sync/protocol.ts';
import type { EventType } from '../../shared/sync/protocol.ts';

export interface AppendedEvent {
  id: string;
  deviceId: string;
  deviceSeq: number;
  hlc: string;
  wallMs: number;
}

/**
 * The append-only event log of architecture.md §4. `append` must run inside the caller's transaction,
 * together with the projection writes, so that an event and its visible effect commit or vanish together.
 */
export class EventLog {
  private clock: HlcState;
  private readonly nextSeq: Statement<[string], { next: number }>;
  private readonly insert: Statement<[string, string, number, string, string, string, number, string, string]>;

  private readonly insertRemoteStmt: Statement<
    [string, string, number, string, string, string, number, string, string, number]
  >;

  private readonly db: Database;
  readonly deviceId: string;
  private readonly now: () => number;

  constructor(db: Database, deviceId: string, now: () => number) {
    this.db = db;
    this.deviceId = deviceId;
    this.now = now;
    this.nextSeq = db.prepare(`SELECT coalesce(max(device_seq), 0) + 1 AS next FROM events WHERE device_id = ?`);
    this.insert = db.prepare(
      `INSERT INTO events (id, device_id, device_seq, type, guest_id, hlc, wall_ms, actor, payload)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertRemoteStmt = db.prepare(
      `INSERT OR IGNORE INTO events (id, device_id, device_seq, type, guest_id, hlc, wall_ms, actor, payload, received_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Resume the clock above everything already in the log, so HLCs stay monotone across restarts
    // even if the wall clock was set back meanwhile.
    const last = db.prepare(`SELECT max(hlc) AS hlc FROM events`).get() as { hlc: string | null };
    this.clock = hlcInit(deviceId);
    if (last.hlc !== null) this.clock = { ...hlcParse(last.hlc), node: deviceId };
  }

  append(type: EventType, guestId: string, actor: string, payload: Record<string, unknown>): AppendedEvent {
    if (!this.db.inTransaction) throw new Error('EventLog.append must run inside a transaction');
    const wallMs = this.now();
    const next = hlcTick(this.clock, wallMs);
    const hlc = hlcFormat(next);
    // Gap-free per device: max+1 inside the same write transaction (SQLite has one writer at a time).
    const { next: deviceSeq } = this.nextSeq.get(this.deviceId)!;
    const id = randomUUID(); // 122 random bits (sync-and-security R5)
    this.insert.run(id, this.deviceId, deviceSeq, type, guestId, hlc, wallMs, actor, JSON.stringify(payload));
    // Advance the clock only once the row is written; a failed insert leaves it where it was.
    this.clock = next;
    return { id, deviceId: this.deviceId, deviceSeq, hlc, wallMs };
  }

  /**
   * Stores an event another device made (pulled from the server) exactly as it was, and moves this
   * device's clock past it so that what happens here next orders after its cause (R10). Returns false
   * when the event is already here (a replayed page): applying is idempotent. The caller holds the
   * transaction and applies the projections.
   */
  insertRemote(event: SyncEvent, receivedMs: number): boolean {
    if (!this.db.inTransaction) throw new Error('EventLog.insertRemote must run inside a transaction');
    const info = this.insertRemoteStmt.run(
      event.id,
      event.deviceId,
      event.deviceSeq,
      event.type,
      event.guestId,
      event.hlc,
      event.wallMs,
      event.actor,
      JSON.stringify(event.payload),
      receivedMs,
    );
    if (info.changes === 0) return false;
    this.clock = { ...hlcReceive(this.clock, hlcParse(event.hlc), this.now()), node: this.deviceId };
    return true;
  }
}
