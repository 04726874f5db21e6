import type { Database, Statement } from 'better-sqlite3';

/** Rows per multi-row INSERT: measured fastest around here (2,000–3,000 bound values per statement). */
const ROWS_PER_STATEMENT = 128;

/**
 * Inserts many rows with multi-row `INSERT … VALUES (…), (…)` statements. Binding is the cost at
 * 100,000 rows: one statement call per row (or `json_each` with `->>` per column) measured ~1.5–2×
 * slower than this. The caller owns the transaction.
 */
export function insertRows(
  db: Database,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
  conflict: '' | 'OR IGNORE' | 'OR REPLACE' = '',
): void {
  const one = `(${columns.map(() => '?').join(', ')})`;
  const sql = (n: number) =>
    `INSERT ${conflict} INTO ${table} (${columns.join(', ')}) VALUES ${Array(n).fill(one).join(', ')}`;
  let full: Statement | null = null;
  // One parameter array, refilled per statement: `rows.slice(…).flat()` made 100,000 rows of garbage.
  const width = columns.length;
  const params: Array<string | number> = new Array<string | number>(ROWS_PER_STATEMENT * width);
  let i = 0;
  for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) {
    full ??= db.prepare(sql(ROWS_PER_STATEMENT));
    let k = 0;
    for (let r = i; r < i + ROWS_PER_STATEMENT; r++) {
      const row = rows[r]!;
      for (let c = 0; c < width; c++) params[k++] = row[c]!;
    }
    full.run(params);
  }
  if (i < rows.length) db.prepare(sql(rows.length - i)).run(rows.slice(i).flat());
}

/** As insertRows, with the values flat (row after row): how chunks travel to the staging worker. */
export function insertValues(
  db: Database,
  table: string,
  columns: readonly string[],
  values: ReadonlyArray<string | number>,
): void {
  const width = columns.length;
  if (values.length % width !== 0) throw new Error(`${values.length} values do not make rows of ${width}`);
  const one = `(${columns.map(() => '?').join(', ')})`;
  const sql = (n: number) => `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(n).fill(one).join(', ')}`;
  const step = ROWS_PER_STATEMENT * width;
  const params: Array<string | number> = new Array<string | number>(step);
  let full: Statement | null = null;
  let i = 0;
  for (; i + step <= values.length; i += step) {
    full ??= db.prepare(sql(ROWS_PER_STATEMENT));
    for (let k = 0; k < step; k++) params[k] = values[i + k]!;
    full.run(params);
  }
  if (i < values.length) db.prepare(sql((values.length - i) / width)).run(values.slice(i));
}
