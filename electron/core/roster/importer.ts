import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { planListReplacement, type ListMember } from '../../../shared/roster/lists.ts';
import type { RosterRecord, RowError } from '../../../shared/roster/records.ts';
import { newGuestId } from '../guests/staging-order.ts';
import { loadGuestRecords } from '../guests/records.ts';
import type { GuestRecord, GuestStore } from '../guests/store.ts';
import type { ListMembership, ListStore } from './lists.ts';
import { merged, nameKey, rowFields, same } from './merge.ts';
import { ShardedMap } from '../../../shared/sharded-map.ts';

/**
 * Merging a roster file into the kiosk as one of its guest lists: match each row to an existing guest
 * (of any list) by code, then email, then folded name + organisation; update what changed, add the new,
 * and put them all on the file's list. Nobody is removed unless the file is the list's complete file:
 * then the list's members missing from it leave the list, and those on no other list are marked removed
 * (never deleted: their check-ins and badges stay valid history; walk-ins never). See shared/roster/lists.ts.
 */
export interface ImportCounts {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
}

export interface ImportPlan extends ImportCounts {
  errors: RowError[];
  inserts: GuestRecord[];
  updates: GuestRecord[];
  /** Existing guests the file's rows matched who join the list, or whose code on it changed, with that code. */
  matched: Array<[guestId: string, code: string]>;
  /** Members of the list missing from its complete file: they leave it. */
  leaving: string[];
  /** Those of `leaving` on no other list and not walk-ins: marked removed. */
  removals: string[];
  /** The removed guests as the preview shows them, by name. */
  removedGuests: Array<{ id: string; name: string; organization: string }>;
}

/**
 * Matches rows to the roster a chunk at a time (a big import yields between chunks). New guests get
 * ids ascending in file order, so they go into every by-guest B-tree (guests, codes, preferences) as
 * appends, not at random pages: a random 40-bit prefix per import and a counter, as unique across
 * kiosks and imports as the 16 random hex digits of a walk-in, without sorting 100,000 random strings.
 */
export class ImportPlanner {
  private readonly membership: ListMembership;
  // Sharded: a row or a guest each, filled on the door's thread (shared/sharded-map.ts).
  private readonly byId = new ShardedMap<GuestRecord>();
  private readonly byCode = new ShardedMap<string>();
  private readonly byEmail = new ShardedMap<string | null>(); // null: several guests share it, so it cannot match
  private readonly byName = new ShardedMap<string | null>();
  private readonly matchedRow = new ShardedMap<number>();
  private readonly emailRow = new ShardedMap<number>();
  /** Every new guest's id starts with this, and only theirs: a chunked write's range (import-chunks.ts). */
  readonly idPrefix = `i_${randomBytes(5).toString('hex')}`;
  private readonly inserts: GuestRecord[] = [];
  private readonly matched: Array<[string, string]> = [];
  private readonly updates: GuestRecord[] = [];
  private readonly errors: RowError[] = [];
  private unchanged = 0;
  private added = 0;
  private readonly keepInserts: boolean;

  /**
   * `keepInserts`: whether the plan lists the new guests. A staged import hands them to the stager as
   * they come and does not keep 100,000 records alive until the end.
   */
  constructor(existing: readonly GuestRecord[], keepInserts: boolean, membership: ListMembership) {
    this.membership = membership;
    this.keepInserts = keepInserts;
    this.addExisting(existing);
  }

  /** Guests already on the roster, before any row is matched (a big roster comes a page at a time). */
  addExisting(existing: readonly GuestRecord[]): void {
    for (const g of existing) {
      this.byId.set(g.id, g);
      for (const c of g.codes) this.byCode.set(c, g.id);
      const email = g.email.toLowerCase();
      if (email) this.byEmail.set(email, this.byEmail.has(email) ? null : g.id);
      const key = nameKey(g.displayName, g.organization);
      this.byName.set(key, this.byName.has(key) ? null : g.id);
    }
  }

  /** Problems found while matching so far (rows that repeat a guest, ambiguous codes). */
  get errorCount(): number {
    return this.errors.length;
  }

  /** Matches a chunk of records; returns the new guests among them, ids set. */
  add(records: readonly RosterRecord[]): GuestRecord[] {
    const { byCode, byEmail, byName, byId, matchedRow, emailRow, errors } = this;
    const fresh: GuestRecord[] = [];
    for (const record of records) {
      const email = record.email.toLowerCase();
      if (email) {
        const earlier = emailRow.get(email);
        if (earlier !== undefined) {
          errors.push({
            row: record.row,
            column: 'email',
            code: 'duplicate_row',
            message: `${record.email} is also on row ${earlier}`,
          });
          continue;
        }
        emailRow.set(email, record.row);
      }
      // Looked up once each (a lookup hashes a fresh string: ~0.2 µs, a million per 100,000 rows).
      const codeOwner = record.code ? byCode.get(record.code) : undefined;
      const emailOwner = email ? byEmail.get(email) : undefined;
      const match =
        codeOwner ??
        emailOwner ??
        // Folding costs: skipped when there is no one to match (a first import).
        (byName.size > 0 ? this.sameNameAndOrganization(record, email) : undefined) ??
        null;
      if (match !== null) {
        const earlier = matchedRow.get(match);
        if (earlier !== undefined) {
          errors.push({
            row: record.row,
            column: 'name',
            code: 'duplicate_row',
            message: `the same guest as row ${earlier}`,
          });
          continue;
        }
        matchedRow.set(match, record.row);
      }
      // The code says one guest, the email another: ambiguous, so the user must decide in the file.
      if (codeOwner !== undefined && emailOwner !== undefined && emailOwner !== null && codeOwner !== emailOwner) {
        const who = (id: string) => byId.get(id)?.displayName ?? id;
        errors.push({
          row: record.row,
          column: 'code',
          code: 'code_in_use',
          message: `code ${record.code} belongs to ${who(codeOwner)}, but ${record.email} to ${who(emailOwner)}`,
        });
        continue;
      }
      if (match === null) {
        const guest: GuestRecord = {
          id: newGuestId(this.idPrefix, this.added++),
          ...rowFields(record),
          vip: record.role === 'vip',
          status: record.cancelled ? 'cancelled' : 'active',
          source: 'import',
          walkIn: false,
          codes: record.code ? [record.code] : [],
          forumPreferences: record.forumPreferences,
        };
        if (this.keepInserts) this.inserts.push(guest);
        fresh.push(guest);
        continue;
      }
      const before = byId.get(match)!;
      const listCode = this.membership.codes.get(match);
      const shared = this.membership.otherLists.has(match) || before.source === 'walk_in';
      const after = merged(before, record, listCode, shared);
      const memberCode = record.code || listCode || '';
      // Only memberships that are new or changed are written: a re-import of 100,000 unchanged rows
      // rewrote them all (~0.25 s) for nothing.
      if (memberCode !== listCode) this.matched.push([match, memberCode]);
      if (same(before, after)) this.unchanged++;
      else this.updates.push(after);
    }
    return fresh;
  }

  /**
   * The guest with this row's name and organisation — unless both have an email and they differ: two
   * Wang Fangs of one university with their own addresses are two guests, not one listed twice.
   */
  private sameNameAndOrganization(record: RosterRecord, email: string): string | null | undefined {
    const id = this.byName.get(nameKey(record.displayName, record.organization));
    if (id === undefined || id === null || email === '') return id;
    const known = this.byId.get(id)!.email.toLowerCase();
    return known === '' || known === email ? id : undefined;
  }

  /**
   * The whole plan, with the reading errors of every chunk. `replace`: the file is its list's complete
   * file, so the list's members it does not match leave the list (shared/roster/lists.ts).
   */
  finish(recordErrors: readonly RowError[], replace: boolean): ImportPlan {
    const members = (): ListMember[] =>
      [...this.membership.codes.keys()].map((id) => {
        const g = this.byId.get(id)!;
        const otherLists = this.membership.otherLists.get(id) ?? 0;
        return { id, otherLists, walkIn: g.source === 'walk_in', removed: g.status === 'removed' };
      });
    const { leaving, removals } = replace
      ? planListReplacement(members(), new Set(this.matchedRow.keys()))
      : { leaving: [], removals: [] };
    const removedGuests = removals
      .map((id) => this.byId.get(id)!)
      .map((g) => ({ id: g.id, name: g.displayName, organization: g.organization }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.organization.localeCompare(b.organization));
    const errors = [...recordErrors, ...this.errors];
    errors.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
    return {
      added: this.added,
      updated: this.updates.length,
      unchanged: this.unchanged,
      removed: removals.length,
      errors,
      inserts: this.inserts,
      updates: this.updates,
      matched: this.matched,
      leaving,
      removals,
      removedGuests,
    };
  }
}

/** The plan for a whole file at once (small files, tests). */
export function planImport(
  db: Database,
  records: readonly RosterRecord[],
  recordErrors: readonly RowError[],
  membership: ListMembership,
  replace: boolean,
): ImportPlan {
  const planner = new ImportPlanner(loadGuestRecords(db), true, membership);
  planner.add(records);
  return planner.finish(recordErrors, replace);
}

/**
 * All-or-nothing: the caller runs this only for a plan without errors, inside one transaction (a chunked
 * write's last one: then its new guests are written already and only become visible with it). The
 * removals of a complete-list import happen in applyListRemovals, apart, because they need a supervisor.
 */
export function applyImport(
  guests: GuestStore,
  lists: ListStore,
  listId: string,
  plan: ImportPlan,
  staged: 'written' | null,
): void {
  // 'written': the new guests and their list places are in already (import-chunks.ts)
  if (staged === null) guests.insertMany(plan.inserts);
  for (const g of plan.updates) guests.update(g);
  if (staged === null)
    lists.add(listId, [...plan.matched, ...plan.inserts.map((g) => [g.id, g.codes[0] ?? ''] as const)]);
  else lists.add(listId, plan.matched);
  applyListRemovals(guests, lists, listId, plan);
  if (plan.updates.length > 0) guests.pruneSearchTerms();
}

/**
 * The complete-list part of an import: members missing from the file leave the list, and those on no
 * other list (and not walk-ins) are marked removed. The only place an import takes anyone away; the
 * caller was allowed by a supervisor (the `roster.import` gate in shared/staff/gates.ts).
 */
export function applyListRemovals(guests: GuestStore, lists: ListStore, listId: string, plan: ImportPlan): void {
  lists.remove(listId, plan.leaving);
  guests.markRemoved(plan.removals);
}
