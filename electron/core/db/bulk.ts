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

/**
 * Rows of one table that arrive in many small batches (the staging worker gets ~50 rows per message),
 * inserted in full ROWS_PER_STATEMENT-row statements as they add up: one statement prepared per table,
 * not one per batch of another size (preparing was a quarter of the worker's insert time). `flush`
 * inserts the rest. The caller owns the transaction.
 */
export class BatchedInsert {
  private readonly db: Database;
  private readonly table: string;
  private readonly columns: readonly string[];
  private readonly step: number;
  private readonly params: Array<string | number>;
  private pending: Array<string | number> = [];
  private full: Statement | null = null;

  constructor(db: Database, table: string, columns: readonly string[]) {
    this.db = db;
    this.table = table;
    this.columns = columns;
    this.step = ROWS_PER_STATEMENT * columns.length;
    this.params = new Array<string | number>(this.step);
  }

  /** Values flat, row after row, in the columns given to the constructor. */
  add(values: ReadonlyArray<string | number>): void {
    if (values.length % this.columns.length !== 0)
      throw new Error(`${values.length} values do not make rows of ${this.columns.length}`);
    const { pending, params, step } = this;
    for (let k = 0; k < values.length; k++) pending.push(values[k]!);
    if (pending.length < step) return;
    this.full ??= this.db.prepare(insertSql(this.table, this.columns, ROWS_PER_STATEMENT));
    let at = 0;
    for (; at + step <= pending.length; at += step) {
      for (let k = 0; k < step; k++) params[k] = pending[at + k]!;
      this.full.run(params);
    }
    this.pending = pending.slice(at);
  }

  /** Inserts the rows still pending. */
  flush(): void {
    if (this.pending.length === 0) return;
    this.db.prepare(insertSql(this.table, this.columns, this.pending.length / this.columns.length)).run(this.pending);
    this.pending = [];
  }
}

function insertSql(table: string, columns: readonly string[], rows: number): string {
  const one = `(${columns.map(() => '?').join(', ')})`;
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(rows).fill(one).join(', ')}`;
}
