import type { Database, Statement } from 'better-sqlite3';
import type { Guest } from '../../../shared/domain.ts';
import { LanyardFailure } from '../../../shared/result.ts';
import { insertRows } from '../db/bulk.ts';
import { withBulkCache } from '../db/page-cache.ts';
import { liveCheckinsOf } from '../checkin/checkin-row.ts';
import {
  GUEST_COLUMNS,
  guestFields,
  guestFieldsSql,
  guestRowValues,
  guestUpdateValues,
  UPDATABLE_COLUMNS,
  type GuestFieldsRow,
  type GuestRecord,
} from './row.ts';
import { SearchIndex } from './search-index.ts';

export type { GuestRecord } from './row.ts';

interface GuestRow extends GuestFieldsRow {
  codes_json: string;
  live_checkins: number | null;
  first_wall_ms: number | null;
  first_door: string | null;
  forum_id: string | null;
  prefs_json: string;
}

// Scalar subqueries, not LEFT JOINs: measured here at ~13 µs per guest against ~80 µs for the
// equivalent LEFT JOIN plan, and this runs on every scan. Attendance is derived from the guest's live
// check-ins (migration 23): their count (NULL when none: not in) and the arrival, the earliest by
// (hlc, fact_id) — each their range of checkins_by_guest.
const GUEST_SELECT = `
  SELECT ${guestFieldsSql('g')},
         (SELECT json_group_array(code) FROM guest_codes WHERE guest_id = g.id) AS codes_json,
         (SELECT nullif(count(*), 0) ${liveCheckinsOf('g.id')}) AS live_checkins,
         (SELECT c.wall_ms ${liveCheckinsOf('g.id')} ORDER BY c.hlc, c.fact_id LIMIT 1) AS first_wall_ms,
         (SELECT c.door ${liveCheckinsOf('g.id')} ORDER BY c.hlc, c.fact_id LIMIT 1) AS first_door,
         (SELECT forum_id FROM guest_forum WHERE guest_id = g.id) AS forum_id,
         (SELECT json_group_array(forum_id) FROM
            (SELECT forum_id FROM guest_forum_preferences WHERE guest_id = g.id ORDER BY rank)) AS prefs_json
  FROM guests g`;

function toGuest(row: GuestRow): Guest {
  const { displayName, phone: _phone, source: _source, ...fields } = guestFields(row);
  return {
    ...fields,
    name: displayName,
    codes: JSON.parse(row.codes_json) as string[],
    checkedIn: row.live_checkins !== null,
    checkedInAt: row.first_wall_ms === null ? null : new Date(row.first_wall_ms).toISOString(),
    checkedInDoor: row.first_door,
    checkinCount: row.live_checkins ?? 0,
    forumId: row.forum_id,
    forumPreferences: JSON.parse(row.prefs_json) as string[],
  };
}

/**
 * Secondary indexes dropped and rebuilt around a bulk load: the guests' search columns (migration 006) and
 * codes by guest. Their keys arrive in random order, so filling them row by row splits B-tree pages all
 * over; building them once from sorted keys is 3-4x faster (measured at 100,000 guests).
 */
const BULK_LOAD_INDEXES = ['guests_by_name_term', 'guests_by_org_term', 'guests_by_email_key', 'guest_codes_by_guest'];

/** Reads and writes guests with their codes and search keys. */
export class GuestStore {
  private readonly byId: Statement<[string], GuestRow>;
  private readonly byIds: Statement<[string], GuestRow>;
  private readonly byCode: Statement<[string], { guest_id: string }>;
  private readonly insertGuest: Statement<Array<string | number>>;
  private readonly updateGuest: Statement<Array<string | number>>;
  private readonly insertCode: Statement<[string, string]>;
  private readonly insertPreference: Statement<[string, number, string]>;
  private readonly deletePreferences: Statement<[string]>;
  private readonly codeExists: Statement<[string], { n: number }>;
  private readonly termsOf: Statement<[string], { name_term: number; org_term: number }>;
  /** Terms updated guests pointed at before their update: perhaps unused now (pruneSearchTerms looks). */
  private readonly termsLeft = new Set<number>();

  private readonly db: Database;
  private readonly search: SearchIndex;
  /**
   * Counts writes through this store (every guest write goes through it). A roster import plans against
   * a snapshot while it yields to scans; it writes only if this has not moved since, else it plans again.
   */
  private writes = 0;
  /**
   * The new guests of a roster import that is still committing its chunks (roster/import-chunks.ts):
   * ids from ≤ id < to. Until its last transaction they are not on the roster for the door — a scan,
   * a search, a check-in by hand sees the list as it was before the import — so nobody can be checked
   * in as a guest a failed import then takes back.
   */
  private pending: { from: string; to: string } | null = null;

  constructor(db: Database) {
    this.db = db;
    this.search = new SearchIndex(db);
    this.byId = db.prepare(`${GUEST_SELECT} WHERE g.id = ?`);
    this.byIds = db.prepare(`${GUEST_SELECT} WHERE g.id IN (SELECT value FROM json_each(?))`);
    this.byCode = db.prepare(`SELECT guest_id FROM guest_codes WHERE code = ?`);
    this.insertGuest = db.prepare(
      `INSERT INTO guests (${GUEST_COLUMNS.join(', ')}) VALUES (${GUEST_COLUMNS.map(() => '?').join(', ')})`,
    );
    this.updateGuest = db.prepare(
      `UPDATE guests SET ${UPDATABLE_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`,
    );
    this.insertCode = db.prepare(`INSERT INTO guest_codes (code, guest_id) VALUES (?, ?)`);
    this.insertPreference = db.prepare(
      `INSERT INTO guest_forum_preferences (guest_id, rank, forum_id) VALUES (?, ?, ?)`,
    );
    this.deletePreferences = db.prepare(`DELETE FROM guest_forum_preferences WHERE guest_id = ?`);
    this.codeExists = db.prepare(`SELECT count(*) AS n FROM guest_codes WHERE code = ?`);
    this.termsOf = db.prepare(`SELECT name_term, org_term FROM guests WHERE id = ?`);
  }

  get revision(): number {
    return this.writes;
  }

  /** Hides the ids from ≤ id < to (an import's new guests while it writes), or shows them (null). */
  setPending(range: { from: string; to: string } | null): void {
    this.pending = range;
  }

  /** Whether `id` is a new guest of an import that has not finished writing. */
  isPending(id: string): boolean {
    const p = this.pending;
    return p !== null && id >= p.from && id < p.to;
  }

  get(id: string): Guest | null {
    if (this.isPending(id)) return null;
    const row = this.byId.get(id);
    return row === undefined ? null : toGuest(row);
  }

  /** The guest, or `guest_not_found`: the one place a method refuses an unknown guest id. */
  requireGuest(id: string): Guest {
    const guest = this.get(id);
    if (guest === null) throw new LanyardFailure('guest_not_found', `no guest with id ${id}`);
    return guest;
  }

  /** Several guests in one statement, in the order of `ids` (search results are ranked). */
  getMany(ids: readonly string[]): Guest[] {
    const visible = this.pending === null ? ids : ids.filter((id) => !this.isPending(id));
    const rows = new Map(this.byIds.all(JSON.stringify(visible)).map((row) => [row.id, row]));
    return visible.flatMap((id) => {
      const row = rows.get(id);
      return row === undefined ? [] : [toGuest(row)];
    });
  }

  guestIdForCode(code: string): string | null {
    const id = this.byCode.get(code)?.guest_id ?? null;
    return id === null || this.isPending(id) ? null : id;
  }

  hasCode(code: string): boolean {
    return this.codeExists.get(code)!.n > 0;
  }

  /** Replaces a guest's ranked forum preferences. The caller owns the transaction. */
  setPreferences(guestId: string, forumIds: readonly string[]): void {
    this.writes++;
    this.deletePreferences.run(guestId);
    [...new Set(forumIds)].forEach((forumId, i) => this.insertPreference.run(guestId, i + 1, forumId));
  }

  /**
   * Many guests at once (imports, the demo roster): rows go in with multi-row inserts. Search
   * terms are shared (see search-index.ts), so most guests only point at existing terms. Pass guests
   * in ascending id order where possible: every by-guest index then appends instead of splitting pages
   * at random. The caller owns the transaction. With the bulk page cache (db/page-cache.ts): the door's
   * next write puts the small one back after the caller's commit.
   */
  insertMany(guests: readonly GuestRecord[]): void {
    withBulkCache(this.db, () => this.insertManyNow(guests));
  }

  private insertManyNow(guests: readonly GuestRecord[]): void {
    this.writes++;
    const terms = this.search.termsFor(guests);
    this.withBulkIndexes(guests.length, () => {
      insertRows(
        this.db,
        'guests',
        GUEST_COLUMNS,
        guests.map((g, i) => guestRowValues(g, terms[i]!)),
      );
      const codes = guests.flatMap((g) => g.codes.map((c) => [c, g.id]));
      // By code: guest_codes is clustered on the code (WITHOUT ROWID), so sorted rows append to it.
      insertRows(
        this.db,
        'guest_codes',
        ['code', 'guest_id'],
        codes.sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
      );
      this.search.insertPrivateKeys(guests);
      insertRows(
        this.db,
        'guest_forum_preferences',
        ['guest_id', 'rank', 'forum_id'],
        guests.flatMap((g) => [...new Set(g.forumPreferences)].map((f, rank) => [g.id, rank + 1, f])),
      );
    });
  }

  /**
   * Runs a bulk load of `count` guests. One that at least doubles the roster fills the secondary indexes
   * afterwards, sorted once, instead of inserting 100,000 entries at random pages (~1.4 s against ~0.4 s
   * measured); the indexes are recreated from their own schema text, so this stays right if a later
   * migration changes them.
   */
  private withBulkIndexes(count: number, load: () => void): void {
    const existing = (this.db.prepare(`SELECT count(*) AS n FROM guests`).get() as { n: number }).n;
    const indexes =
      count >= 10_000 && count >= existing
        ? (this.db
            .prepare(
              `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name IN (SELECT value FROM json_each(?))`,
            )
            .all(JSON.stringify(BULK_LOAD_INDEXES)) as Array<{ name: string; sql: string }>)
        : [];
    for (const index of indexes) this.db.exec(`DROP INDEX ${index.name}`);
    load();
    for (const index of indexes) this.db.exec(index.sql);
  }

  /** Marks guests missing from a new roster file as removed (never deleted: their history stays valid). */
  markRemoved(ids: readonly string[]): void {
    this.writes++;
    const remove = this.db.prepare(`UPDATE guests SET status = 'removed' WHERE id = ?`);
    for (const id of ids) remove.run(id);
  }

  /** Rewrites a guest's fields, codes, search keys and preferences (a roster re-import). */
  update(guest: GuestRecord): void {
    this.writes++;
    const before = this.termsOf.get(guest.id);
    if (before !== undefined) this.termsLeft.add(before.name_term).add(before.org_term);
    const [terms] = this.search.termsFor([guest]);
    this.updateGuest.run(...guestUpdateValues(guest, terms!), guest.id);
    this.db.prepare(`DELETE FROM guest_codes WHERE guest_id = ?`).run(guest.id);
    for (const code of guest.codes) this.insertCode.run(code, guest.id);
    this.search.replacePrivateKeys(guest);
    this.setPreferences(guest.id, guest.forumPreferences);
  }

  /**
   * Drops search terms no guest uses any more; call after updates that change names or organisations.
   * Only the terms the updated guests left can have become unused, so only those are looked at: the whole
   * table (a term per name: 100,000s) was read in the import's last transaction, ~20 ms of the door's
   * thread at 100,000 guests (roster bench, a re-import's last scans).
   */
  pruneSearchTerms(): void {
    this.writes++;
    this.search.pruneTerms([...this.termsLeft]);
    this.termsLeft.clear();
  }

  /** Inserts a guest, its codes and its search keys. The caller owns the transaction. */
  insert(guest: GuestRecord): void {
    this.writes++;
    const [terms] = this.search.termsFor([guest]);
    this.insertGuest.run(...guestRowValues(guest, terms!));
    this.setPreferences(guest.id, guest.forumPreferences);
    for (const code of guest.codes) this.insertCode.run(code, guest.id);
    this.search.insertPrivateKeys([guest]);
  }
}
