import type { DeviceContext } from './fact-log.ts';
import type { Sql } from './sql.ts';

/** Rows past the watermark read per step of `advanceProgress` (a device's gap makes it read them all). */
const ADVANCE_STEP = 5000;

/**
 * Moves the device's contiguous watermark from `through` over every seq now present right after it —
 * stored, or refused by its schema (the kiosk keeps and lists a refused fact; sending it again would
 * change nothing) — and stamps the device's last sync. Returns the new watermark and the event's version
 * vector: one round trip per step (one step unless more than ADVANCE_STEP rows are past the watermark).
 */
export async function advanceProgress(
  tx: Sql,
  device: DeviceContext,
  through: number,
  nowMs: number,
): Promise<{ ackedThrough: number; versionVector: Record<string, number> }> {
  for (;;) {
    // The seqs past the watermark in order, numbered 1, 2, …: the run that starts right after it is the
    // rows whose seq equals watermark + number (after the first gap every seq is greater than that).
    const rows = await tx.query<{ device_id: string; contiguous_seq: number; step: number }>(
      `WITH present AS (
         SELECT device_seq, row_number() OVER (ORDER BY device_seq) AS n FROM (
           SELECT device_seq FROM fact_log WHERE device_id = $1 AND device_seq > $3
           UNION SELECT device_seq FROM refused_facts WHERE device_id = $1 AND device_seq > $3
           ORDER BY device_seq LIMIT $5
         ) s
       ), progress AS (
         UPDATE device_progress SET contiguous_seq = $3 + (SELECT count(*) FROM present WHERE device_seq = $3 + n)
         WHERE device_id = $1
         RETURNING contiguous_seq
       ), touched AS (
         -- At most once a second, as last contact (devices.ts): a door pushing a backlog in many batches
         -- would otherwise write a new row version of its device on every one.
         UPDATE devices SET last_sync_ms = $4 WHERE id = $1 AND last_sync_ms <= $4::bigint - 1000
       )
       SELECT device_id, contiguous_seq, 0 AS step FROM device_progress WHERE conference_id = $2 AND device_id <> $1
       UNION ALL SELECT $1, contiguous_seq, contiguous_seq - $3 FROM progress`,
      [device.deviceId, device.eventId, through, nowMs, ADVANCE_STEP],
      'push_advance',
    );
    const own = rows.find((r) => r.device_id === device.deviceId)!;
    through = Number(own.contiguous_seq);
    if (Number(own.step) < ADVANCE_STEP) {
      return {
        ackedThrough: through,
        versionVector: Object.fromEntries(rows.map((r) => [r.device_id, Number(r.contiguous_seq)])),
      };
    }
  }
}
