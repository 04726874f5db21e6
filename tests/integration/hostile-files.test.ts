import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../electron/core/roster/read-table.ts';
import { checkZip } from '../../electron/core/roster/zip-check.ts';
import { csvLine, parseCsv } from '../../shared/roster/csv.ts';
import { openRosterKiosk } from '../support/roster-kiosk.ts';
import { tempDir } from '../support/temp.ts';

/** Issue 13, findings 11–13 and 15: hostile roster files, each attack as it was made. */
const CLI = path.resolve(import.meta.dirname, '../../electron/cli/lanyard.ts');

/** A ZIP whose one entry inflates to `size` zero bytes while its headers claim 1 byte. */
function lyingZip(size: number): Uint8Array {
  const chunk = Buffer.alloc(1024 * 1024);
  const parts: Buffer[] = [];
  for (let i = 0; i < size / chunk.length; i++) parts.push(chunk);
  const data = deflateRawSync(Buffer.concat(parts), { level: 9 });
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(Buffer.alloc(1)), 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(1, 22); // the lie: "unpacks to 1 byte"
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(Buffer.alloc(1)), 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(1, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + name.length, 12);
  end.writeUInt32LE(30 + name.length + data.length, 16);
  return new Uint8Array(Buffer.concat([local, name, data, central, name, end]));
}

function cli(dataDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args, '--data', dataDir, '--json'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, json: JSON.parse(r.stdout || '{}') as { error?: { code: string } } };
}

describe('hostile roster files', () => {
  it('finding 11: an XLSX whose zip headers lie about sizes is stopped by the bytes actually inflated', () => {
    const bomb = lyingZip(48 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(200_000);
    const limit = 16 * 1024 * 1024;
    expect(() => checkZip(bomb, limit)).toThrow(/unpacks to too much data/);
    try {
      checkZip(bomb, limit);
    } catch (error) {
      expect((error as { code: string }).code).toBe('file_too_large');
    }
  });

  it('finding 12: at its deadline a workbook read stops working, not just waiting', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Guests');
    sheet.addRow(['Name', 'E-Mail', 'Firma']);
    for (let i = 0; i < 60_000; i++) sheet.addRow([`Guest ${i}`, `g${i}@deadline.example`, `Org ${i % 50}`]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const started = Date.now();
    // 50 ms: the workbook reader (read-xlsx.ts) reads these 60,000 rows in a few hundred ms on a quiet machine
    await expect(readTable('slow.xlsx', bytes, () => {}, 50)).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(10_000);
    // After the refusal the process goes quiet: the parse does not carry on in the background. A parse
    // still running would use a whole core (~2,000 ms of CPU in 2 s); allow for GC and the test runner.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const busy = process.cpuUsage(before);
    expect((busy.user + busy.system) / 1000).toBeLessThan(1000); // ms of CPU in 2 s
  }, 60_000);

  it('finding 13: a roster "file" that is a symlink to /dev/zero is refused with a JSON error, not an OOM', () => {
    const dir = tempDir('hostile-cli').dir; // the file is refused before the kiosk is asked anything
    const link = path.join(tempDir('hostile-link').dir, 'guests.csv');
    fs.symlinkSync('/dev/zero', link);
    const r = cli(dir, 'import', link);
    expect(r.status).toBe(1);
    expect(r.json.error?.code).toBe('file_not_regular');
  }, 90_000);

  it('finding 13: a file over the size limit is refused before it is read', () => {
    const dir = tempDir('hostile-big').dir;
    const big = path.join(tempDir('hostile-big-file').dir, 'guests.csv');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, 2 * 1024 * 1024 * 1024); // 2 GiB, sparse: reading it would be the attack
    const r = cli(dir, 'import', big);
    expect(r.status).toBe(1);
    expect(r.json.error?.code).toBe('file_too_large');
  }, 90_000);

  it('finding 15: a CSV cell starting with NUL then "=" is exported neutralised', () => {
    for (const value of ['\u0000=1+1', '\u0000\u0000@SUM(A1)', '\u001f-2', '\u0085=1']) {
      const line = csvLine([value]);
      expect(parseCsv(line, ',')[0]![0]!.startsWith("'")).toBe(true);
    }
  });

  it('finding 15: a leading TAB is kept on import, so "\\t=1+1" is not stored as "=1+1", and is exported neutralised', async () => {
    const k = openRosterKiosk(false);
    try {
      const csv = 'Name,E-Mail,Firma\r\nAnna Tab,anna.tab@example.org,"\t=1+1"\r\n';
      const { summary } = await k.importFile('tab.csv', Buffer.from(csv), { preset: '', dryRun: false, mapping: null });
      expect(summary.applied).toBe(true);
      const org = (
        k.kiosk.db!.prepare(`SELECT organization FROM guests WHERE email = ?`).get('anna.tab@example.org') as {
          organization: string;
        }
      ).organization;
      expect(org).not.toBe('=1+1');
      expect(org.endsWith('=1+1')).toBe(true);
      const { bytes } = await k.exportFile('csv', '');
      const text = bytes.toString('utf8');
      expect(text).not.toMatch(/(^|,)"?=1\+1/m);
    } finally {
      k.close();
    }
  });
});
