import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { PackedRows } from '../../electron/core/roster/read-rows.ts';
import type { ReadReply } from '../../electron/core/roster/read-worker.ts';

const dist = path.resolve(import.meta.dirname, '../../dist-electron');

/** The built bundle (`npm run test:e2e` builds first): the roster file reader's worker, as packaged. */
describe('the bundled roster reading worker (electron/core/roster/read-off-thread.ts)', () => {
  it('is built beside main.cjs, which finds it from its own file URL', () => {
    expect(fs.existsSync(path.join(dist, 'read-worker.cjs'))).toBe(true);
    expect(fs.readFileSync(path.join(dist, 'main.cjs'), 'utf8')).toContain('"./read-worker.cjs"');
  });

  it('runs as a worker thread: reads a workbook and sends its rows as it reads them', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Guests');
    ws.addRow(['Name', 'Company', 'Note']);
    ws.addRow(['王芳', '清华']);
    ws.addRow(['Jürgen Weiß', 'Müller, Söhne', 'VIP']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const worker = new Worker(path.join(dist, 'read-worker.cjs'), {
      workerData: { fileName: 'guests.xlsx', bytes, deadlineMs: 60_000 },
    });
    const replies: ReadReply[] = [];
    const finished = new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: ReadReply) => {
        replies.push(reply);
        if (reply.kind === 'failed' || reply.kind === 'end') resolve();
      });
      worker.once('error', reject);
    });
    await finished;
    await worker.terminate();
    const [rows, end, ...more] = replies.filter((r) => r.kind !== 'progress');
    expect(more).toEqual([]);
    if (rows?.kind !== 'rows') throw new Error(`rows expected, got ${JSON.stringify(rows)}`);
    // The rows come packed (electron/core/roster/read-rows.ts), their bytes transferred; unpacked as
    // the door's thread unpacks them, padded to the widest row.
    expect(rows.count).toBe(2);
    expect(rows.packs.every((p) => p instanceof Uint8Array)).toBe(true);
    expect(end).toEqual({
      kind: 'end',
      table: { format: 'xlsx', encoding: 'xlsx', delimiter: '', headers: ['Name', 'Company', 'Note'] },
      width: 3,
    });
    const packed = new PackedRows();
    packed.addPacked(rows.packs, rows.count);
    expect([...packed.end(3).batches()].flat()).toEqual([
      ['王芳', '清华', ''],
      ['Jürgen Weiß', 'Müller, Söhne', 'VIP'],
    ]);
  });
});
