import type { Database, Statement } from 'better-sqlite3';
import { PUSH_BATCH_BYTES, PUSH_BATCH_FACTS, type Fact, type FactOutcome } from '../../../shared/sync/protocol.ts';
import type { StoredFactColumns } from '../../../shared/sync/fact-schema.ts';

interface FactRow extends StoredFactColumns {
  id: string;
  payload: string;
}

/**
 * The kiosk's outbox is its own facts in the log (no second queue): what comes after the server's
 * watermark, in push batches; how many still wait; what the server refused (kept and listed, never
 * deleted); what this kiosk parked from pulls.
 */
export class Outbox {
  private readonly db: Database;
  private readonly deviceId: string;
  private readonly afterStmt: Statement<[string, number, number], FactRow>;
  private readonly pendingStmt: Statement<[string, number], { n: number }>;

  constructor(db: Database, deviceId: string) {
    this.db = db;
    this.deviceId = deviceId;
    this.afterStmt = db.prepare(
      `SELECT id, device_id, device_seq, type, guest_id, hlc, wall_ms, actor, payload FROM facts
       WHERE device_id = ? AND device_seq > ? ORDER BY device_seq LIMIT ?`,
    );
    this.pendingStmt = db.prepare(
      `SELECT count(*) AS n FROM facts e WHERE e.device_id = ? AND e.device_seq > ?
         AND NOT EXISTS (SELECT 1 FROM sync_rejections r WHERE r.fact_id = e.id)`,
    );
  }

  /** The next push batch after `after`: at most PUSH_BATCH_FACTS facts and about PUSH_BATCH_BYTES. */
  batchAfter(after: number): Fact[] {
    const rows = this.afterStmt.all(this.deviceId, after, PUSH_BATCH_FACTS);
    const batch: Fact[] = [];
    let bytes = 0;
    for (const r of rows) {
      bytes += r.payload.length + 200;
      if (batch.length > 0 && bytes > PUSH_BATCH_BYTES) break;
      batch.push({
        id: r.id,
        deviceId: r.device_id,
        deviceSeq: r.device_seq,
        type: r.type,
        guestId: r.guest_id,
        hlc: r.hlc,
        wallMs: r.wall_ms,
        actor: r.actor,
        payload: JSON.parse(r.payload) as unknown,
        // Our own rows: FactLog.append checked each one against its type's schema before writing it, and
        // the server checks it again on arrival, so it is not parsed a third time on the hot push path.
      } as Fact);
    }
    return batch;
  }

  /** Own facts after `after` that the server has not refused. */
  pending(after: number): number {
    return this.pendingStmt.get(this.deviceId, after)!.n;
  }

  /** Facts the server refused: saved at once, to be listed to staff; the facts themselves stay. */
  recordRejected(rejected: readonly FactOutcome[], wallMs: number): void {
    this.db.transaction(() => {
      const insert = this.db.prepare(
        `INSERT OR IGNORE INTO sync_rejections (fact_id, reason, wall_ms) VALUES (?, ?, ?)`,
      );
      for (const r of rejected) insert.run(r.id, r.reason, wallMs);
    })();
  }

  rejectedCount(): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM sync_rejections`).get() as { n: number }).n;
  }

  parkedCount(): number {
    return (this.db.prepare(`SELECT count(*) AS n FROM parked_facts`).get() as { n: number }).n;
  }
}
