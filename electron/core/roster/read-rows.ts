/**
 * A read file's rows as they are kept between its upload and its import: packed, a few hundred rows at a
 * time, as the UTF-8 bytes of their JSON — outside the JS heap, about the file's own size. Kept as
 * `string[][]`, 100,000 rows held ~85 MB of heap (700,000 strings and 100,000 arrays) through the whole
 * import, beside the planner and the stager: they were most of the import's peak RSS. The import decodes
 * one pack at a time (a JSON.parse of PACK_ROWS rows, well under a millisecond), so no whole-table array
 * ever exists; the plan made again (import-job.ts, MAX_PLANS) decodes the packs again.
 */
export const PACK_ROWS = 500;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Rows → one pack (a worker packs them itself and sends the bytes without copying them). */
export function packRows(rows: readonly string[][]): Uint8Array {
  return encoder.encode(JSON.stringify(rows));
}

/** The packs of a batch of rows, PACK_ROWS each. */
export function packBatch(rows: readonly string[][]): Uint8Array[] {
  const packs: Uint8Array[] = [];
  for (let at = 0; at < rows.length; at += PACK_ROWS) packs.push(packRows(rows.slice(at, at + PACK_ROWS)));
  return packs;
}

export class PackedRows {
  private readonly packs: Uint8Array[] = [];
  private pending: string[][] = [];
  private count = 0;
  /** A workbook's rows are padded to this width when decoded, as a spreadsheet shows them (0: not padded). */
  private width = 0;

  /** How many rows it holds. */
  get rowCount(): number {
    return this.count + this.pending.length;
  }

  /** Bytes held, for the log and the tests. */
  get byteLength(): number {
    return this.packs.reduce((sum, p) => sum + p.byteLength, 0);
  }

  /** Takes rows (the array's contents are packed; the caller may drop it). */
  add(rows: readonly string[][]): void {
    for (const row of rows) {
      this.pending.push(row);
      if (this.pending.length >= PACK_ROWS) this.flush();
    }
  }

  /** Takes packs made by packRows (in a worker), holding `rows` rows in all; rows added before go first. */
  addPacked(packs: readonly Uint8Array[], rows: number): void {
    this.flush();
    this.packs.push(...packs);
    this.count += rows;
  }

  /** No more rows: packs the last ones; `width` pads a workbook's rows when they are decoded. */
  end(width = 0): this {
    this.flush();
    this.width = width;
    return this;
  }

  /** The rows pack by pack, each a fresh array. */
  *batches(): Generator<string[][], void, void> {
    for (const pack of this.packs) yield this.decode(pack);
  }

  /** The first `n` rows (the preview's sample). */
  first(n: number): string[][] {
    const rows: string[][] = [];
    for (const batch of this.batches()) {
      rows.push(...batch.slice(0, n - rows.length));
      if (rows.length >= n) break;
    }
    return rows;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.packs.push(packRows(this.pending));
    this.count += this.pending.length;
    this.pending = [];
  }

  private decode(pack: Uint8Array): string[][] {
    const rows = JSON.parse(decoder.decode(pack)) as string[][];
    if (this.width > 0) for (const cells of rows) while (cells.length < this.width) cells.push('');
    return rows;
  }
}
