import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../electron/core/roster/read-table.ts';
import { LanyardFailure } from '../../shared/result.ts';

/** The readers on hostile input: a table or a LanyardFailure, never another exception, in bounded time. */
async function outcome(name: string, bytes: Uint8Array): Promise<'table' | string> {
  const started = performance.now();
  try {
    await readTable(name, bytes, () => {});
    return 'table';
  } catch (error) {
    if (!(error instanceof LanyardFailure)) throw error;
    return error.code;
  } finally {
    expect(performance.now() - started).toBeLessThan(5_000);
  }
}

describe('reader fuzzing', () => {
  it('CSV reader: random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        expect(['table', 'file_empty', 'file_unreadable']).toContain(await outcome('f.csv', bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('XLSX reader: a real workbook with random bytes overwritten or cut off', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Guests');
    ws.addRow(['Name', 'Company']);
    for (let i = 0; i < 20; i++) ws.addRow([`Guest ${i}`, `Org ${i}`]);
    const valid = new Uint8Array(await wb.xlsx.writeBuffer());
    expect(await outcome('ok.xlsx', valid)).toBe('table');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
        fc.nat({ max: valid.length }),
        async (edits, cut) => {
          const bytes = valid.slice(0, Math.max(4, cut));
          for (const [at, value] of edits) if (at >= 4 && at < bytes.length) bytes[at] = value;
          expect(['table', 'file_empty', 'file_unreadable']).toContain(await outcome('f.xlsx', bytes));
        },
      ),
      { numRuns: 150 },
    );
  });
});
