import type { FactCheck } from '../../shared/sync/fact-schema.ts';
import type { FactOutcome, PushResponse } from '../../shared/sync/protocol.ts';

/**
 * A push's answer as its Idempotency-Key record keeps it (`idempotency_keys.response`). The ids of the
 * answer's outcomes are the request's own, in order — the request hash the record is found with covers
 * them — so the record keeps how many facts there were and only the outcomes that are not "stored", by
 * position: a few hundred bytes instead of ~15 kB per 200-fact batch, which PostgreSQL parsed as jsonb
 * and compressed out of line on every push. A record written before (the whole answer) replays as it is.
 */
export interface KeptAnswer {
  v: 2;
  /** How many outcomes: one per fact of the request. */
  n: number;
  /** [position, status, reason] of each outcome that is not "stored". */
  others: Array<[number, FactOutcome['status'], FactOutcome['reason']]>;
  ackedThrough: number;
  versionVector: PushResponse['versionVector'];
  serverTime: number;
  protocol: PushResponse['protocol'];
}

export function keptAnswer(response: PushResponse): KeptAnswer {
  const others: KeptAnswer['others'] = [];
  for (const [i, r] of response.results.entries()) if (r.status !== 'stored') others.push([i, r.status, r.reason]);
  return {
    v: 2,
    n: response.results.length,
    others,
    ackedThrough: response.ackedThrough,
    versionVector: response.versionVector,
    serverTime: response.serverTime,
    protocol: response.protocol,
  };
}

/** The answer a record keeps, for the same request (`checked`: its facts, as the record's hash says). */
export function replayedAnswer(kept: KeptAnswer | PushResponse, checked: readonly FactCheck[]): PushResponse {
  if (!('v' in kept)) return kept;
  const results: FactOutcome[] = checked.map((c) => ({ id: c.ok ? c.fact.id : c.id, status: 'stored', reason: '' }));
  for (const [i, status, reason] of kept.others) results[i] = { id: results[i]!.id, status, reason };
  return {
    protocol: kept.protocol,
    results,
    ackedThrough: kept.ackedThrough,
    versionVector: kept.versionVector,
    serverTime: kept.serverTime,
  };
}
