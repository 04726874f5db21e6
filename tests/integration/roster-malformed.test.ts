import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../shared/roster/contract-types.ts';
import { openRosterKiosk, waitJob, type RosterKiosk } from '../support/roster-kiosk.ts';

/**
 * Twenty bad files, each with the error it must give — and after each, the kiosk's data is exactly what
 * it was: imports are all-or-nothing.
 */
let k: RosterKiosk;
let fingerprint: () => string;
beforeAll(() => {
  k = openRosterKiosk(true);
  fingerprint = () =>
    JSON.stringify(
      k.kiosk
        .db!.prepare(
          `SELECT id, display_name, status, email, (SELECT group_concat(code) FROM guest_codes WHERE guest_id = g.id) FROM guests g ORDER BY id`,
        )
        .raw()
        .all(),
    );
});
afterAll(() => k.close());

const HEAD = 'Name,Company,Email,Code,Forum\r\n';
const utf8 = (s: string) => Buffer.from(s, 'utf8');

async function emptyXlsx(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Sheet1');
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** [label, file name, bytes, expected file-level error code or row error codes]. */
const fileErrors: Array<[string, string, () => Promise<Uint8Array> | Uint8Array, string]> = [
  ['empty file', 'a.csv', () => new Uint8Array(0), 'file_empty'],
  ['header only', 'a.csv', () => utf8(HEAD), 'file_empty'],
  ['blank lines only', 'a.csv', () => utf8('\r\n\r\n\n'), 'file_empty'],
  ['unterminated quote', 'a.csv', () => utf8(`${HEAD}"Anna Müller,ACME,a@b.de,1,\r\n`), 'file_unreadable'],
  ['text after a closing quote', 'a.csv', () => utf8(`${HEAD}"Anna"x,ACME,a@b.de,1,\r\n`), 'file_unreadable'],
  [
    'UTF-8 BOM then invalid UTF-8',
    'a.csv',
    () => new Uint8Array([0xef, 0xbb, 0xbf, 0x4e, 0x61, 0xc3, 0x28, 0x0a]),
    'file_unreadable',
  ],
  [
    'UTF-16 BOM with an odd byte count',
    'a.csv',
    () => new Uint8Array([0xff, 0xfe, 0x4e, 0x00, 0x61]),
    'file_unreadable',
  ],
  [
    'legacy .xls',
    'a.xls',
    () => new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]),
    'file_unreadable',
  ],
  ['truncated XLSX', 'a.xlsx', () => new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]), 'file_unreadable'],
  [
    // 0x81 is undefined in Windows-1252; 0xFF leads no GB18030 character.
    'bytes that are neither UTF-8, GB18030 nor Windows-1252',
    'a.csv',
    () => new Uint8Array([0x4e, 0x0a, 0xff, 0x81, 0xff, 0x0a]),
    'file_unreadable',
  ],
  [
    'binary data (NUL bytes) between accented bytes',
    'a.csv',
    () => new Uint8Array([0x4e, 0x0a, 0xe9, 0x00, 0x00, 0xe8, 0x0a]),
    'file_unreadable',
  ],
  ['XLSX without rows', 'a.xlsx', emptyXlsx, 'file_empty'],
  ['over 32 MB', 'a.csv', () => new Uint8Array(33 * 1024 * 1024).fill(0x41), 'file_too_large'],
  ['over 300,000 rows', 'a.csv', () => utf8(`Name\n${'x\n'.repeat(300_001)}`), 'file_too_large'],
];

const rowErrors: Array<[string, string, string[]]> = [
  ['a row without a name', `${HEAD},ACME,a@b.de,X1,\r\n`, ['missing_name']],
  ['a code twice in the file', `${HEAD}Ann Lee,A,ann@a.de,X1,\r\nBen Ode,B,ben@b.de,X1,\r\n`, ['duplicate_code']],
  ['a bad email', `${HEAD}Ann Lee,A,not-an-email,X1,\r\n`, ['bad_email']],
  ['an unknown forum', `${HEAD}Ann Lee,A,ann@a.de,X1,Astrology\r\n`, ['unknown_forum']],
  ['a value over 500 characters', `${HEAD}Ann Lee,${'A'.repeat(501)},ann@a.de,X1,\r\n`, ['value_too_long']],
  [
    'the same guest twice (same email)',
    `${HEAD}Ann Lee,A,ann@a.de,X1,\r\nAnn Lee,A,ann@a.de,X2,\r\n`,
    ['duplicate_row'],
  ],
  ['a code that belongs to another guest', '', ['code_in_use']],
  [
    'several problems at once, all reported',
    `${HEAD},A,a@b.de,X1,\r\nBo Li,B,bad,X2,\r\nCy Ng,C,cy@c.de,X3,Nowhere\r\n`,
    ['missing_name', 'bad_email', 'unknown_forum'],
  ],
];

describe('malformed files change nothing', () => {
  it.each(fileErrors)('%s → %s', async (_label, name, make, expected) => {
    const before = fingerprint();
    const status = await k.upload(name, await make());
    expect(status.state).toBe('failed');
    expect(status.error?.code).toBe(expected);
    expect(fingerprint()).toBe(before);
  });

  it.each(rowErrors)('%s → %j, with row numbers', async (_label, text, expected) => {
    const before = fingerprint();
    let csv = text;
    if (csv === '') {
      // Guest A's email (so the row is guest A) with guest B's code.
      const [a, b] = k.kiosk
        .db!.prepare(`SELECT g.email, c.code FROM guests g JOIN guest_codes c ON c.guest_id = g.id LIMIT 2`)
        .all() as Array<{ email: string; code: string }>;
      csv = `${HEAD}Zed Quux,Nowhere Inc,${a!.email},${b!.code},\r\n`;
    }
    const status = await k.upload('bad.csv', Buffer.from(csv));
    const preview = status.result as { uploadId: string; mapping: unknown };
    const r = k.call('roster.import', { uploadId: preview.uploadId, mapping: preview.mapping, dryRun: false });
    if (!r.ok) throw new Error(r.error.message);
    const done = await waitJob(k.call, (r.value as { jobId: string }).jobId);
    const summary = done.result as ImportSummary;
    expect(summary.applied).toBe(false);
    expect([...new Set(summary.errors.map((e) => e.code))].sort()).toEqual([...expected].sort());
    for (const e of summary.errors) expect(e.row).toBeGreaterThanOrEqual(2);
    expect(fingerprint()).toBe(before);
  });

  it('a cancelled import changes nothing', async () => {
    const before = fingerprint();
    const rows = Array.from({ length: 20_000 }, (_, i) => `Guest ${i},Org ${i % 50},g${i}@example.org,CX-${i},`).join(
      '\r\n',
    );
    const status = await k.upload('big.csv', Buffer.from(`${HEAD}${rows}\r\n`));
    const preview = status.result as { uploadId: string; mapping: unknown };
    const r = k.call('roster.import', { uploadId: preview.uploadId, mapping: preview.mapping, dryRun: false });
    if (!r.ok) throw new Error(r.error.message);
    const jobId = (r.value as { jobId: string }).jobId;
    k.call('jobs.cancel', { jobId });
    const done = await waitJob(k.call, jobId);
    expect(done.state).toBe('cancelled');
    expect(fingerprint()).toBe(before);
  });
});
