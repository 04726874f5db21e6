/**
 * Hybrid logical clock (Kulkarni et al.; Actual Budget's `timestamp.ts`), as a fixed-width string that
 * sorts lexicographically in causal order: `<wall ms, 15 digits>-<counter, 5 digits>-<node id>`.
 *
 * Unlike Actual we never throw on drift: door staff must keep scanning whatever the clock says
 * (sync-and-security R10). Drift is measured and shown elsewhere.
 */
export interface HlcState {
  wallMs: number;
  counter: number;
  node: string;
}

const MAX_COUNTER = 99_999;

export function hlcInit(node: string): HlcState {
  if (!/^[A-Za-z0-9_]+$/.test(node)) throw new Error(`HLC node id must be alphanumeric: ${node}`);
  return { wallMs: 0, counter: 0, node };
}

export function hlcFormat(state: HlcState): string {
  return `${String(state.wallMs).padStart(15, '0')}-${String(state.counter).padStart(5, '0')}-${state.node}`;
}

export function hlcParse(text: string): HlcState {
  const match = /^(\d{15})-(\d{5})-([A-Za-z0-9_]+)$/.exec(text);
  if (!match) throw new Error(`not an HLC timestamp: ${text}`);
  return { wallMs: Number(match[1]), counter: Number(match[2]), node: match[3]! };
}

function bump(wallMs: number, counter: number, node: string): HlcState {
  // The counter overflows only if one device makes 100k events within a millisecond of a frozen clock;
  // then we borrow the next millisecond rather than fail.
  if (counter > MAX_COUNTER) return { wallMs: wallMs + 1, counter: 0, node };
  return { wallMs, counter, node };
}

/** A local event: strictly greater than every timestamp this clock has issued or received. */
export function hlcTick(state: HlcState, nowMs: number): HlcState {
  if (nowMs > state.wallMs) return { wallMs: nowMs, counter: 0, node: state.node };
  return bump(state.wallMs, state.counter + 1, state.node);
}

/** Merge a timestamp received from another device, so that what we do next orders after it. */
export function hlcReceive(state: HlcState, remote: HlcState, nowMs: number): HlcState {
  const wallMs = Math.max(state.wallMs, remote.wallMs, nowMs);
  if (wallMs === state.wallMs && wallMs === remote.wallMs) {
    return bump(wallMs, Math.max(state.counter, remote.counter) + 1, state.node);
  }
  if (wallMs === state.wallMs) return bump(wallMs, state.counter + 1, state.node);
  if (wallMs === remote.wallMs) return bump(wallMs, remote.counter + 1, state.node);
  return { wallMs, counter: 0, node: state.node };
}
