import type { Fact, StoredFactColumns } from '../../shared/sync/fact-schema.ts';

/** A row of `fact_log` as the readers select it (`FACT_COLUMNS`). */
export interface FactRow extends StoredFactColumns {
  fact_id: string;
  payload: Record<string, unknown>;
}

export const FACT_COLUMNS = `fact_id::text AS fact_id, device_id, device_seq, type, guest_id, hlc, wall_ms, actor, payload`;

/**
 * A stored row as the fact it is. Only facts that passed `checkFact` are stored (pushFacts), so the row is
 * not parsed again: that would cost seconds per 100,000 facts on every page load of the organisers.
 */
export function factFromRow(r: FactRow): Fact {
  return {
    id: r.fact_id,
    deviceId: r.device_id,
    deviceSeq: Number(r.device_seq),
    type: r.type,
    guestId: r.guest_id,
    hlc: r.hlc,
    wallMs: Number(r.wall_ms),
    actor: r.actor,
    payload: r.payload,
  } as Fact;
}
