import type { guestStatuses } from '../domain.ts';
import type { FactOf } from '../sync/fact-schema.ts';

/**
 * Attendance from facts, the rules every side applies (architecture.md §4, sync-and-security R11, R12):
 * a guest's check-ins form an OR-set of dots — every live (unvoided) check-in is kept, two doors admitting
 * one badge offline are both recorded, the earliest by HLC is the arrival and the others are duplicates —
 * and a void removes exactly the check-in it names. Pure: the kiosk (local scans and pulled facts) and the
 * server fold their rows through these functions, so they cannot disagree on who is in.
 */

/** One check-in, as the projections keep it. */
export interface CheckinDot {
  factId: string;
  guestId: string;
  deviceId: string;
  door: string;
  method: FactOf<'check_in'>['payload']['method'];
  actor: string;
  hlc: string;
  wallMs: number;
}

/** One void of a check-in: who undid it and when. */
export interface VoidDot {
  factId: string;
  /** The check-in it removes. */
  voids: string;
  actor: string;
  hlc: string;
  wallMs: number;
}

export function checkinDot(fact: FactOf<'check_in'>): CheckinDot {
  return {
    factId: fact.id,
    guestId: fact.guestId,
    deviceId: fact.deviceId,
    door: fact.payload.door,
    method: fact.payload.method,
    actor: fact.actor,
    hlc: fact.hlc,
    wallMs: fact.wallMs,
  };
}

export function voidDot(fact: FactOf<'check_in_void'>): VoidDot {
  return { factId: fact.id, voids: fact.payload.voids, actor: fact.actor, hlc: fact.hlc, wallMs: fact.wallMs };
}

/**
 * The total order of facts: HLC, then id. HLCs embed their device, so a tie needs one device to stamp two
 * facts alike; the id still settles it the same way everywhere.
 */
export function compareFacts(a: { hlc: string; factId: string }, b: { hlc: string; factId: string }): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  return a.factId < b.factId ? -1 : a.factId > b.factId ? 1 : 0;
}

/**
 * Two kiosks undid the same check-in: the earliest undo is the one on record (who and when), whichever
 * arrived first, so every side shows the same.
 */
export function recordedVoid<V extends { hlc: string; factId: string }>(current: V, incoming: V): V {
  return compareFacts(incoming, current) < 0 ? incoming : current;
}

export interface Attendance<C extends { factId: string; hlc: string } = CheckinDot> {
  /** Live check-ins, earliest first. */
  live: C[];
  /** The first live check-in: the guest's arrival; null when the guest is not in. */
  arrival: C | null;
  /** Check-ins undone. */
  voided: number;
}

/** One guest's attendance from their check-ins and which of them are voided. */
export function attendanceOf<C extends { factId: string; hlc: string }>(
  checkins: Iterable<C>,
  isVoided: (checkin: C) => boolean,
): Attendance<C> {
  const live: C[] = [];
  let voided = 0;
  for (const c of checkins) {
    if (isVoided(c)) voided += 1;
    else live.push(c);
  }
  live.sort(compareFacts);
  return { live, arrival: live[0] ?? null, voided };
}

/** More than one live check-in: a badge admitted twice (two doors offline, or again after an undo elsewhere). */
export function isDuplicate(attendance: Pick<Attendance, 'live'>): boolean {
  return attendance.live.length > 1;
}

/** Live check-ins made on another device than the arrival's (the export's "duplicates" column). */
export function otherDeviceCheckins(attendance: Attendance<CheckinDot>): number {
  const first = attendance.arrival;
  return first === null ? 0 : attendance.live.filter((c) => c.deviceId !== first.deviceId).length;
}

/** What the door does with an admissible scan or search (before anything is written). */
export type ArrivalDecision = 'cancelled' | 'blocked' | 'repeat' | 'already_checked_in' | 'check_in';

/**
 * The venue door's rule: a cancelled or removed guest is refused, a blocked one is held; a guest already
 * in is told so (or, when the scanner read the same badge twice, answered as the first time); anyone else
 * is checked in. Only 'check_in' writes a fact.
 */
export function decideArrival(input: {
  status: (typeof guestStatuses)[number];
  arrival: { factId: string } | null;
  /** The arrival is this kiosk's last fact, by the same code, within the same-scan window. */
  sameScanAsArrival: boolean;
}): ArrivalDecision {
  if (input.status === 'cancelled' || input.status === 'removed') return 'cancelled';
  if (input.status === 'blocked') return 'blocked';
  if (input.arrival === null) return 'check_in';
  return input.sameScanAsArrival ? 'repeat' : 'already_checked_in';
}
