import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { RosterRecord, RowError } from '../../../shared/roster/records.ts';
import { fold } from '../../../shared/search/fold.ts';
import { loadGuestRecords, type GuestRecord, type GuestStore } from '../guests.ts';

/**
 * Merging a roster file into the kiosk: match each row to an existing guest by code, then email, then
 * folded name + organisation; update what changed, add the new, and mark guests missing from the file
 * as removed (never delete: their check-ins and badges stay valid history). Walk-ins are never removed.
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
  removals: string[];
}

const nameKey = (name: string, organization: string): string => `${fold(name)}|${fold(organization)}`;

/** The fields a roster row sets on a guest, new or existing. */
function rowFields(record: RosterRecord) {
  return {
    displayName: record.displayName,
    familyName: record.familyName,
    givenName: record.givenName,
    nativeName: record.nativeName,
    latinName: record.latinName,
    organization: record.organization,
    email: record.email,
    phone: record.phone,
    role: record.role,
    note: record.note,
  };
}

function merged(existing: GuestRecord, record: RosterRecord): GuestRecord {
  const keepBlocked = existing.status === 'blocked' && !record.cancelled;
  return {
    ...existing,
    ...rowFields(record),
    vip: existing.vip || record.role === 'vip',
    status: keepBlocked ? 'blocked' : record.cancelled ? 'cancelled' : 'active',
    source: existing.source === 'walk_in' ? 'walk_in' : 'import',
    codes: record.code.length > 0 ? [record.code] : existing.codes,
    forumPreferences: record.forumPreferences.length > 0 ? record.forumPreferences : existing.forumPreferences,
  };
}

function same(a: GuestRecord, b: GuestRecord): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Random ids for new guests, ascending in file order: the guests then go into every by-guest B-tree
 * (guests, codes, preferences, search keys) as appends, not at random pages. One randomBytes call:
 * 100,000 calls of 8 bytes took ~0.9 s.
 */
function newGuestIds(count: number): string[] {
  const bytes = randomBytes(8 * count).toString('hex');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(`i_${bytes.slice(16 * i, 16 * i + 16)}`);
  return ids.sort();
}

export function planImport(
  db: Database,
  records: readonly RosterRecord[],
  recordErrors: readonly RowError[],
): ImportPlan {
  const existing = loadGuestRecords(db);
  const byId = new Map(existing.map((g) => [g.id, g]));
  const byCode = new Map<string, string>();
  const byEmail = new Map<string, string | null>(); // null: several guests share it, so it cannot match
  const byName = new Map<string, string | null>();
  for (const g of existing) {
    for (const c of g.codes) byCode.set(c, g.id);
    const email = g.email.toLowerCase();
    if (email) byEmail.set(email, byEmail.has(email) ? null : g.id);
    const key = nameKey(g.displayName, g.organization);
    byName.set(key, byName.has(key) ? null : g.id);
  }

  const errors = [...recordErrors];
  const matchedRow = new Map<string, number>();
  const emailRow = new Map<string, number>();
  const plan: ImportPlan = {
    added: 0,
    updated: 0,
    unchanged: 0,
    removed: 0,
    errors,
    inserts: [],
    updates: [],
    removals: [],
  };
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
    const match =
      (record.code ? byCode.get(record.code) : undefined) ??
      (record.email ? byEmail.get(record.email.toLowerCase()) : undefined) ??
      byName.get(nameKey(record.displayName, record.organization)) ??
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
    const codeOwner = record.code ? byCode.get(record.code) : undefined;
    const emailOwner = email ? byEmail.get(email) : undefined;
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
      plan.inserts.push({
        id: '', // set below, once the number of new guests is known
        ...rowFields(record),
        vip: record.role === 'vip',
        status: record.cancelled ? 'cancelled' : 'active',
        source: 'import',
        walkIn: false,
        codes: record.code ? [record.code] : [],
        forumPreferences: record.forumPreferences,
      });
      continue;
    }
    const before = byId.get(match)!;
    const after = merged(before, record);
    if (same(before, after)) plan.unchanged++;
    else plan.updates.push(after);
  }
  for (const g of existing) {
    if (!matchedRow.has(g.id) && g.source !== 'walk_in' && g.status !== 'removed') plan.removals.push(g.id);
  }
  const ids = newGuestIds(plan.inserts.length);
  plan.inserts.forEach((g, i) => (g.id = ids[i]!));
  plan.added = plan.inserts.length;
  plan.updated = plan.updates.length;
  plan.removed = plan.removals.length;
  errors.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
  return plan;
}

/** All-or-nothing: the caller runs this only for a plan without errors, inside one transaction. */
export function applyImport(db: Database, guests: GuestStore, plan: ImportPlan): void {
  guests.insertMany(plan.inserts);
  for (const g of plan.updates) guests.update(g);
  const remove = db.prepare(`UPDATE guests SET status = 'removed' WHERE id = ?`);
  for (const id of plan.removals) remove.run(id);
  if (plan.updates.length > 0) guests.pruneSearchTerms();
}
