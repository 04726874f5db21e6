import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../electron/core/roster/read-table.ts';
import { zipFiles } from '../../electron/core/roster/zip.ts';
import { unzipEntries } from '../../electron/core/roster/zip-check.ts';
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

  // Edits in a deflated archive mostly break its deflate streams, which zlib refuses before the XML is read;
  // stored (level 0) entries take the edits into the XML itself, so the workbook reader's parse is fuzzed.
  it('XLSX reader: random edits in the XML of a workbook stored without compression', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Guests');
    ws.addRow(['Name', 'Company', 'Date']);
    for (let i = 0; i < 20; i++)
      ws.addRow([`王芳 ${i} & <Co>`, { richText: [{ text: 'Org ' }, { text: `${i}` }] }, new Date(2026, 3, i + 1)]);
    const parts = unzipEntries(new Uint8Array(await wb.xlsx.writeBuffer()), () => true);
    const files = Object.fromEntries([...parts].map(([name, data]) => [name, new Uint8Array(data)]));
    const sheet = new TextDecoder().decode(files['xl/worksheets/sheet1.xml']);
    const alphabet = fc.constantFrom(
      '<',
      '>',
      '/',
      '"',
      "'",
      '=',
      '&',
      ';',
      '#',
      'x',
      'c',
      'r',
      'v',
      't',
      's',
      ' ',
      '1',
      'Z',
      '\u00e4',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(fc.nat({ max: sheet.length - 1 }), fc.nat({ max: 8 }), fc.string({ unit: alphabet, maxLength: 6 })),
          {
            maxLength: 6,
          },
        ),
        async (edits) => {
          let xml = sheet;
          for (const [at, drop, insert] of edits) xml = xml.slice(0, at) + insert + xml.slice(at + drop);
          const bytes = zipFiles({ ...files, 'xl/worksheets/sheet1.xml': new TextEncoder().encode(xml) }, 0);
          expect(['table', 'file_empty', 'file_unreadable']).toContain(await outcome('f.xlsx', bytes));
        },
      ),
      { numRuns: 300 },
    );
  });
});
