import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { PACK_ROWS } from '../../electron/core/roster/read-rows.ts';
import { csvLine } from '../../shared/roster/csv.ts';
import { openRosterKiosk, type RosterKiosk } from '../support/roster-kiosk.ts';

/**
 * Issue 16: an upload keeps its rows packed a few hundred at a time (electron/core/roster/read-rows.ts) and
 * the import unpacks them one pack at a time. Rows past the first pack must keep their spreadsheet row
 * numbers, the preview its first rows and count, and the import every guest.
 */
const ROWS = PACK_ROWS * 2 + 234;
const header = ['Name', 'Company', 'Email', 'Code'];
const row = (i: number) => [
  i % 2 === 0 ? `王芳${i}` : `Jürgen Weiß ${i}`,
  i % 3 === 0 ? '' : 'Tsinghua 清华',
  i === PACK_ROWS + 100 ? 'not an email' : `guest${i}@example.org`,
  // No code: a workbook's row ends early and is padded when unpacked. The last row repeats row 3's code.
  i % 5 === 4 ? '' : i === ROWS - 1 ? 'C000001' : `C${String(i).padStart(6, '0')}`,
];

async function xlsx(rows: string[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Guests');
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

let k: RosterKiosk;
afterEach(() => k.close());

describe('a roster of several packs of rows', () => {
  const rows = Array.from({ length: ROWS }, (_, i) => row(i));
  const files = async (): Promise<Array<[string, Uint8Array]>> => [
    ['guests.csv', new TextEncoder().encode(csvLine(header) + rows.map((r) => csvLine(r)).join(''))],
    ['guests.xlsx', await xlsx([header, ...rows])],
  ];

  it('reports errors past the first pack with their spreadsheet rows, and writes nothing', async () => {
    for (const [name, bytes] of await files()) {
      k = openRosterKiosk(false);
      const { preview, summary } = await k.importFile(name, bytes, { preset: '', dryRun: false, mapping: null });
      expect(preview.rowCount).toBe(ROWS);
      expect(preview.sample).toEqual(rows.slice(0, 8));
      expect(summary.applied).toBe(false);
      // Data row i is spreadsheet row i + 2 (the header is row 1).
      expect(summary.errors.map((e) => [e.row, e.code])).toEqual([
        [PACK_ROWS + 102, 'bad_email'],
        [ROWS + 1, 'duplicate_code'],
      ]);
      expect(k.count(`SELECT count(*) AS n FROM guests`)).toBe(0);
      k.close();
    }
    k = openRosterKiosk(false); // for afterEach
  }, 120_000);

  it('imports every row of every pack', async () => {
    const good = rows.map((r, i) => (i === PACK_ROWS + 100 ? [r[0]!, r[1]!, '', r[3]!] : r)).slice(0, ROWS - 1);
    k = openRosterKiosk(false);
    const bytes = await xlsx([header, ...good]);
    const { summary } = await k.importFile('guests.xlsx', bytes, { preset: '', dryRun: false, mapping: null });
    expect(summary).toMatchObject({ applied: true, added: ROWS - 1, errors: [] });
    expect(k.count(`SELECT count(*) AS n FROM guests`)).toBe(ROWS - 1);
    const last = good[good.length - 1]!;
    expect(k.count(`SELECT count(*) AS n FROM guest_codes WHERE code = '${last[3]}'`)).toBe(1);
  }, 120_000);
});
