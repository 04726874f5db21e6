import { GUEST_COLUMNS } from './row.ts';

/**
 * The order of a big import's staged tables (guests/staging.ts): how each goes into the kiosk's table,
 * the order the worker hands them over in, and the SQL that renumbers the new guests and sorts each
 * table so that the chunked copy (roster/import-chunks.ts) appends to the kiosk's B-trees.
 */

/**
 * The order the worker writes the staged tables' parts in and the chunked copy takes them: the guests
 * first, then what names them (foreign keys hold at every step, also for the copy on the door's thread);
 * the search terms, which the guests' rows name by id without a foreign key, between the two. The
 * guests' copy is the import's longest, and it waits for the worker's first piece: with the terms' three
 * parts first, ~40 ms longer (roster bench, 100,000 guests).
 */
export const STAGED_PART_ORDER = [
  'guests',
  'terms',
  'term_keys',
  'typo_keys',
  'codes',
  'private_keys',
  'preferences',
  'list_members',
] as const;

export type StagedName = (typeof STAGED_PART_ORDER)[number];

/**
 * How each staged table goes into the kiosk's (in STAGED_PART_ORDER, which keeps foreign keys satisfied
 * at every step: guests before their codes and preferences). A chunk copies the rows `s` of a rowid range
 * of the part's table `staged` (with `join`'s rows for each, if any): import-chunks.ts chunkSql. `order`
 * is the order its part is sorted in where the kiosk's table is clustered on it (sortedSelect).
 */
export interface StagedCopy {
  staged: string;
  insert: string;
  select: string;
  /** A table-valued function of `s` whose rows are the ones copied (a staged guest's preferences). */
  join?: string;
  order: string;
  /** The order of the kiosk table's other index, if it has one (see sortedSelect). */
  alsoBy?: string;
  /**
   * Its parents outside the import (the import's new guests are not: see db/import-write-worker.ts): a
   * query whose first row names one the kiosk does not have, run once the part is copied.
   */
  parentCheck?: string;
}

const GUESTS_COLUMNS = GUEST_COLUMNS.join(', ');

export const STAGED_COPIES: Readonly<Record<StagedName, StagedCopy>> = {
  terms: {
    staged: 'terms',
    insert: 'INSERT INTO main.search_terms (id, source)',
    select: 'SELECT id, source',
    order: 'id',
  },
  term_keys: {
    staged: 'term_keys',
    insert: 'INSERT OR IGNORE INTO main.term_keys (key, term_id, weight)',
    select: 'SELECT key, term_id, weight',
    order: 'key, term_id',
    alsoBy: 'term_id, key',
  },
  typo_keys: {
    staged: 'typo_keys',
    insert: 'INSERT OR IGNORE INTO main.typo_keys (variant, word)',
    select: 'SELECT variant, word',
    order: 'variant, word',
  },
  // The staged guests carry two columns of their own (staged-guests.ts): the kiosk's are named.
  guests: {
    staged: 'guests',
    insert: `INSERT INTO main.guests (${GUESTS_COLUMNS})`,
    select: `SELECT ${GUESTS_COLUMNS}`,
    order: '',
  },
  codes: {
    staged: 'codes',
    insert: 'INSERT INTO main.guest_codes (code, guest_id)',
    select: 'SELECT code, guest_id',
    order: 'code',
    alsoBy: 'guest_id',
  },
  private_keys: {
    staged: 'private_keys',
    insert: 'INSERT OR IGNORE INTO main.search_keys (key, guest_id, weight)',
    select: 'SELECT key, guest_id, weight',
    order: 'key, guest_id',
    alsoBy: 'guest_id, key',
  },
  // A guest's preferences, best first, from the JSON array it was staged with: in the guests' order, which
  // is the kiosk table's (guest_id, rank).
  preferences: {
    staged: 'guests',
    insert: 'INSERT INTO main.guest_forum_preferences (guest_id, rank, forum_id)',
    select: 'SELECT s.id, p.key + 1, p.value',
    join: 'json_each(s.preferences) AS p',
    order: '',
    parentCheck: `SELECT DISTINCT p.value FROM staging.guests s, json_each(s.preferences) p
                  WHERE p.value NOT IN (SELECT id FROM main.forums)`,
  },
  // The new guests' list places, joined to the import's list: each guest with its first code ('' none).
  list_members: {
    staged: 'guests',
    insert: 'INSERT INTO main.list_members (list_id, guest_id, code)',
    select: 'SELECT @list, s.id, s.first_code',
    order: '',
    parentCheck: `SELECT @list WHERE @list NOT IN (SELECT id FROM main.roster_lists)`,
  },
};

/** A part file and the kiosk tables its rows go into, each chunk's rows into all of them, in order. */
export interface PartCopy {
  file: string;
  copies: readonly StagedCopy[];
}

/**
 * The part files in the order the copy takes them, each with the tables it fills. A piece of the guests
 * fills the guests, then their preferences and list places from the same rows in the same chunk: one
 * pass over the piece. As parts of their own, read again after the codes and keys, they cost the writer
 * eight more attachments and ~90 ms more of a 100,000-guest copy, and came last, when the import waited
 * for nothing else (roster bench, 2026-12-03).
 */
export function partCopies(): PartCopy[] {
  return STAGED_PART_ORDER.flatMap((table) => {
    if (STAGED_COPIES[table].staged !== table) return [];
    const copies = STAGED_PART_ORDER.filter((t) => STAGED_COPIES[t].staged === table).map((t) => STAGED_COPIES[t]);
    return partFiles(table).map((file) => ({ file, copies }));
  });
}

/** A new guest's id: the import's prefix and a counter (newIdSql writes the same form). */
export function newGuestId(idPrefix: string, n: number): string {
  return `${idPrefix}${n.toString(16).padStart(6, '0')}`;
}

const ID_PREFIX = /^[A-Za-z0-9_]+$/;

/**
 * The staged guests part is written in this many pieces, a file each, so that the copy starts on the
 * first while the worker writes the rest: the whole part took ~0.45–0.55 s of the worker, which the
 * copy waited for; its first quarter ~0.2 s (on the roster bench's 100,000 guests).
 */
export const GUEST_PIECES = 4;

/**
 * The part files a staged table is copied from, in order: the guests' pieces for the guests and what is
 * made from their rows (preferences, list places), a file of its own for the others.
 */
export function partFiles(table: StagedName): string[] {
  return STAGED_COPIES[table].staged === 'guests'
    ? Array.from({ length: GUEST_PIECES }, (_, k) => `guests.${k}`)
    : [table];
}

/**
 * The staged guests' new order (the worker's temp table `neworder`): n counts in (email key, name term)
 * order, `src` is the guest's staged row (the number its staged codes and keys name it by). One sort of the staged guests' keys, here at the end: an index
 * kept in this order while rows arrived cost the worker ~0.5 s more of inserting (a random-order B-tree
 * beside the table) than the sort, and the worker's inserting is what the copy waits for.
 */
const NEW_ORDER_SQL = `CREATE TEMP TABLE neworder (n INTEGER PRIMARY KEY, src INTEGER NOT NULL);
  INSERT INTO neworder (n, src)
    SELECT row_number() OVER (ORDER BY email_key, name_term, id) - 1, rowid FROM main.guests;`;

/** The new guest id of the guest numbered `n` (an SQL expression): newGuestId's form. */
function newIdSql(idPrefix: string, n: string): string {
  if (!ID_PREFIX.test(idPrefix)) throw new Error(`unexpected guest id prefix ${idPrefix}`);
  return `'${idPrefix}' || printf('%06x', ${n})`;
}

/**
 * Piece `k` of the renumbered guests, in their new order, columns as the kiosk's guests table has them:
 * the rows of `neworder` looked up by rowid, read in its key order (no sort of the wide rows).
 */
function guestPiece(idPrefix: string, guestColumns: readonly string[], k: number): string {
  const columns = guestColumns.map((c) => (c === 'id' ? `${newIdSql(idPrefix, 'o.n')} AS id` : `g.${c}`)).join(', ');
  const count = `(SELECT count(*) FROM temp.neworder)`;
  return `CREATE TABLE part.guests AS SELECT ${columns} FROM temp.neworder o JOIN main.guests g ON g.rowid = o.src
    WHERE o.n >= ${k} * ${count} / ${GUEST_PIECES} AND o.n < ${k + 1} * ${count} / ${GUEST_PIECES} ORDER BY o.n;`;
}

/**
 * Each staged guest's new number by its staged row (the worker's temp table `renumbered`, which the
 * by-guest parts join to rewrite their references: an integer key, looked up by rowid), made once the
 * guests' pieces are written. Keyed by the old text ids, its random-order B-tree and text joins cost the
 * codes' part ~60–80 ms more.
 */
const RENUMBER_SQL = `CREATE TEMP TABLE renumbered (src INTEGER PRIMARY KEY, n INTEGER NOT NULL);
  INSERT INTO renumbered (src, n) SELECT src, n FROM temp.neworder ORDER BY src;`;

/** The staged tables that name a new guest, with their other columns. */
const BY_GUEST: Readonly<Record<string, readonly string[]>> = {
  codes: ['code'],
  private_keys: ['key', 'weight'],
};

/** Rows per block of a two-index table's grid (sortedSelect): about what one chunk copies. */
const GRID_BLOCK_ROWS = 256;

/**
 * Blocks per side of the grid for a staged table, counted where the SQL runs (the worker knows its
 * tables' rows; the main thread does not count the keys the worker makes): a side of k makes k² blocks
 * of ~GRID_BLOCK_ROWS.
 */
const gridSide = (staged: string): string =>
  `(SELECT max(1, CAST(sqrt(count(*) / ${GRID_BLOCK_ROWS}.0) AS INTEGER)) FROM main.${staged})`;

/**
 * Rewrites a staged table so that rowid ranges are key ranges for the chunked copy: a chunk then lands
 * on a few neighbouring pages of the kiosk table instead of pages all over its B-tree.
 *
 * A table with a second index (`alsoBy`: codes by guest, keys by guest or term) cannot be in both
 * orders, and sorted by its key alone each of its rows went to a random page of the other index: a
 * chunk of n rows dirtied ~n pages there, and each page was written again by nearly every chunk. So it
 * is cut into a `side` × `side` grid (ranges of keys, keyRangesSql; ranks by the other order) and
 * copied block by block, each block sorted by key: a chunk's rows then fall in 1/side of each index, so it dirties ~1/side of
 * their pages in all.
 */
function sortedSelect(c: Pick<StagedCopy, 'staged' | 'select' | 'order' | 'alsoBy'>, idPrefix: string): string {
  const others = BY_GUEST[c.staged];
  const byGuest = others !== undefined;
  // With the guests renumbered, their new ids replace their staged numbers in the same pass (no UPDATE
  // of each row). A table with a second order keeps the guest's new number too: see byOther.
  const from = byGuest
    ? `(SELECT ${others.map((o) => `t.${o}`).join(', ')}, ${newIdSql(idPrefix, 'r.n')} AS guest_id${c.alsoBy === undefined ? '' : ', r.n AS guest_n'}
          FROM main.${c.staged} t JOIN renumbered r ON r.src = t.guest_n)`
    : `main.${c.staged}`;
  const side = gridSide(c.staged);
  // By guest, the grid's other side is the guest's number cut in `side` equal ranges: the renumbering
  // sorted the guests already, and a third sort of the table (ntile over guest_id) was a third of the
  // worker's time on its biggest part (private_keys, 107,000 rows: ~0.25 s of the copy's wait).
  const byOther =
    byGuest && c.alsoBy?.startsWith('guest_id') === true
      ? `guest_n * ${side} / (SELECT count(*) FROM renumbered)`
      : `ntile(${side}) OVER (ORDER BY ${c.alsoBy})`;
  const key = leadingColumn(c.order);
  const byKey = `coalesce((SELECT k FROM temp.${boundsTable(c.staged)} WHERE b <= x.${key} ORDER BY b DESC LIMIT 1), 0)`;
  return c.alsoBy === undefined
    ? `SELECT * FROM ${from} ORDER BY ${c.order}`
    : `${c.select} FROM (SELECT *, ${byKey} AS by_key, ${byOther} AS by_other FROM ${from} AS x)
       ORDER BY by_key, by_other, ${c.order}`;
}

/** Staged rows sampled for a grid's key ranges (keyRangesSql): one in this many. */
const KEY_SAMPLE = 16;

const leadingColumn = (order: string): string => order.split(',')[0]!.trim();
const boundsTable = (staged: string): string => `key_ranges_${staged}`;

/**
 * The grid's key ranges for a staged table (sortedSelect): the first key of each of `side` ranges of
 * about equal size, from a sorted sample of its rows (a temp table the part then looks each row's
 * range up in). Ranked by a window over the whole table instead (ntile), a sort of every row came
 * before the part's own sort: ~110 ms of the worker's 225 on private_keys' 107,000 rows, ~70 of 240 on
 * the codes (roster bench's staging file, alone). A range is only where a block of the copy starts: a
 * sample's uneven ranges make uneven blocks, never a wrong row.
 */
function keyRangesSql(c: Pick<StagedCopy, 'staged' | 'order'>): string {
  const key = leadingColumn(c.order);
  const table = boundsTable(c.staged);
  return `CREATE TEMP TABLE ${table} (b PRIMARY KEY, k INTEGER NOT NULL) WITHOUT ROWID;
    INSERT OR IGNORE INTO temp.${table} (b, k)
      SELECT ${key}, r / (count(*) OVER () / ${gridSide(c.staged)} + 1)
      FROM (SELECT ${key}, row_number() OVER (ORDER BY ${key}) - 1 AS r
            FROM main.${c.staged} WHERE rowid % ${KEY_SAMPLE} = 0);`;
}

/**
 * The worker's parts for a chunked copy (GuestStager.finishInParts): each part file of STAGED_PART_ORDER
 * once (partFiles), in that order.
 */
export function stagedParts(idPrefix: string, guestColumns: readonly string[]): Array<{ name: string; sql: string }> {
  return STAGED_PART_ORDER.flatMap((table) => {
    const copy = STAGED_COPIES[table];
    if (copy.staged !== table) return []; // made from another part's rows
    if (table === 'guests')
      return partFiles(table).map((name, k) => ({
        name,
        sql: `${k === 0 ? NEW_ORDER_SQL : ''}\n${guestPiece(idPrefix, guestColumns, k)}`,
      }));
    // The first part that names guests makes their new ids' table for all of them.
    const renumber = table === 'codes' ? `${RENUMBER_SQL}\n` : '';
    const ranges = copy.alsoBy === undefined ? '' : `${keyRangesSql(copy)}\n`;
    return [{ name: table, sql: `${renumber}${ranges}CREATE TABLE part.${table} AS ${sortedSelect(copy, idPrefix)};` }];
  });
}
