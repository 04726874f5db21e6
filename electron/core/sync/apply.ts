import type { Database } from 'better-sqlite3';
import { checkFact, type FactCheck, type FactOf, type WalkInGuest } from '../../../shared/sync/fact-schema.ts';
import { checkFactQuickly } from '../../../shared/sync/fact-quick-check.ts';
import type { PulledFact } from '../../../shared/sync/protocol.ts';
import type { CheckinService } from '../checkin/service.ts';
import type { FactLog } from '../facts/log.ts';
import type { ForumService } from '../forums/service.ts';
import { minimalGuest, type GuestRecord } from '../guests/row.ts';
import type { GuestStore } from '../guests/store.ts';
import { createLogger } from '../log.ts';

const log = createLogger('sync-apply');

export interface Projections {
  facts: FactLog;
  guests: GuestStore;
  checkins: CheckinService;
  forums: ForumService;
}

/**
 * Checks each pulled fact with its type's schema (shared/sync/fact-schema.ts) against the time the
 * server received it: the skew rule needs a clock the sender does not control, and an honest fact's HLC
 * is close to it whatever this kiosk's own clock says. What fails is parked, never applied: a bad fact
 * from one device must not stop this door's pulls nor drag its clock (an HLC years ahead).
 */
export function checkPulled(
  raw: readonly unknown[],
  now: number,
): { valid: PulledFact[]; refused: Array<{ check: Extract<FactCheck, { ok: false }>; raw: unknown }> } {
  const valid: PulledFact[] = [];
  const refused: Array<{ check: Extract<FactCheck, { ok: false }>; raw: unknown }> = [];
  for (const item of raw) {
    const receivedAt = (item as { receivedAt?: unknown } | null)?.receivedAt;
    const received = Number.isSafeInteger(receivedAt) ? (receivedAt as number) : now;
    // An honest check-in or room entry is answered without zod's walk; anything else by the schema.
    const check = checkFactQuickly(item, received, 'receivedAt') ?? checkFact(withoutReceivedAt(item), received);
    if (check.ok) valid.push({ ...check.fact, receivedAt: received });
    else refused.push({ check, raw: item });
  }
  return { valid, refused };
}

/** A pulled fact as its device made it: the server's `receivedAt` is not part of it. */
function withoutReceivedAt(item: unknown): unknown {
  if (typeof item !== 'object' || item === null || !('receivedAt' in item)) return item;
  const { receivedAt: _received, ...rest } = item as Record<string, unknown>;
  return rest;
}

/** The guest a walk-in fact carries, as this kiosk keeps them (forum preferences stay where they were taken). */
function walkInRecord(guestId: string, fields: WalkInGuest, codes: string[]): GuestRecord {
  return { ...fields, id: guestId, codes, forumPreferences: [], walkIn: true, source: 'walk_in' };
}

/** Parks facts this kiosk cannot apply (listed on the Conflicts screen); the caller holds the transaction. */
function park(db: Database, refused: ReturnType<typeof checkPulled>['refused'], now: number): void {
  if (refused.length === 0) return;
  const insert = db.prepare(
    `INSERT OR IGNORE INTO parked_facts
       (fact_id, device_id, device_seq, type, guest_id, reason, detail, received_ms, parked_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const { check, raw } of refused) {
    const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const field = (key: string, max: number) => (typeof r[key] === 'string' ? r[key].slice(0, max) : '');
    const received = Number.isSafeInteger(r['receivedAt']) ? (r['receivedAt'] as number) : now;
    insert.run(
      check.id,
      check.deviceId,
      check.deviceSeq,
      field('type', 40),
      field('guestId', 200),
      check.code,
      check.message.slice(0, 500),
      received,
      now,
    );
  }
  log.warn('pulled facts parked: they fail their schema', {
    count: refused.length,
    reasons: [...new Set(refused.map((r) => r.check.code))],
  });
}

/**
 * Applies a page of pulled facts: each is checked, stored once (by id) and projected exactly as if it had
 * happened here; one that fails its check is parked instead. Idempotent — a replayed page changes
 * nothing — and the caller runs it in the same transaction as saving the cursor (R8), so the cursor moves
 * past parked facts too. Returns how many facts were new here.
 */
export function applyPulled(db: Database, p: Projections, raw: readonly unknown[], now: number): number {
  if (!db.inTransaction) throw new Error('applyPulled must run inside a transaction');
  const { valid: facts, refused } = checkPulled(raw, now);
  park(db, refused, now);
  const lookup = db.prepare(`SELECT 1 FROM guests WHERE id = ?`).pluck();
  // A page names a few hundred guests thousands of times: each is looked up once (and is there from then on).
  const present = new Set<string>();
  const exists = (guestId: string): boolean => {
    if (present.has(guestId)) return true;
    if (lookup.get(guestId) === undefined) return false;
    present.add(guestId);
    return true;
  };
  const fresh = p.facts.insertRemoteMany(facts);
  // Check-ins and room entries are projected together after the loop (attendance is derived as it is read,
  // one presence check per room); walk-ins, voids and assignments in order, as they come.
  const checkins: Array<FactOf<'check_in'>> = [];
  const entries: Array<FactOf<'forum_entry'>> = [];
  let applied = 0;
  for (const fact of facts) {
    if (!fresh.has(fact.id)) continue;
    fresh.delete(fact.id); // an id twice in one page is applied once
    applied += 1;
    const ensureGuest = () => {
      // A guest this kiosk's roster lacks (a signed badge admitted elsewhere): kept under their id until
      // the roster names them, so the check-in is never dropped.
      if (!exists(fact.guestId)) p.guests.insert(minimalGuest(fact.guestId, fact.guestId, ''));
    };
    switch (fact.type) {
      case 'walk_in': {
        const fields = fact.payload.guest;
        const codes = fields.codes.filter((c) => !p.guests.hasCode(c));
        if (!exists(fact.guestId)) {
          p.guests.insert(walkInRecord(fact.guestId, fields, codes));
          break;
        }
        // Known already as a placeholder named by its id — admitted here from their badge, or made for a
        // check-in of them that arrived first: named now. A roster guest stays as the roster has them.
        const known = p.guests.get(fact.guestId);
        if (known !== null && known.name === fact.guestId)
          p.guests.update(walkInRecord(fact.guestId, fields, [...known.codes, ...codes]));
        break;
      }
      case 'check_in':
        ensureGuest();
        checkins.push(fact);
        break;
      case 'check_in_void':
        // A void of a check-in later in this page finds no row yet; that check-in picks the void up.
        p.checkins.applyRemoteVoid(fact);
        break;
      case 'forum_assign':
        ensureGuest();
        if (!p.forums.applyRemoteAssignment(fact))
          log.warn('assignment to an unknown forum kept unapplied', { id: fact.id });
        break;
      case 'forum_entry':
        ensureGuest();
        entries.push(fact);
        break;
      default:
        // badge_print, note, guest_edit: in the log (and in exports), no projection on the door.
        break;
    }
  }
  p.checkins.applyRemoteCheckins(checkins);
  const projected = p.forums.applyRemoteEntries(entries);
  if (projected < entries.length)
    log.warn('entries to unknown forums kept unapplied', { count: entries.length - projected });
  return applied;
}
