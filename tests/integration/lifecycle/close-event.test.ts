import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../electron/core/dispatch.ts';
import { createKiosk } from '../../../electron/core/kiosk.ts';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract.ts';
import type { Result } from '../../../shared/result.ts';
import { testSecrets } from '../../support/secrets.ts';
import { tempDir } from '../../support/temp.ts';

/** Every file under `root`, recursively. */
function filesUnder(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(root, e.name)) : [path.join(root, e.name)]));
}

/** Whether any file under `root` holds `text` in UTF-8, UTF-16LE or UTF-16BE. */
export function traceOf(root: string, text: string): string | null {
  const needles = [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le'), Buffer.from(text, 'utf16le').swap16()];
  for (const file of filesUnder(root)) {
    const bytes = fs.readFileSync(file);
    if (needles.some((n) => bytes.includes(n))) return file;
  }
  return null;
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

describe('closing the event on a kiosk', () => {
  it('refuses while records are neither synced nor exported; then leaves no guest name or email anywhere', async () => {
    const data = tempDir('close-event');
    const stick = tempDir('close-stick');
    cleanups.push(data.cleanup, stick.cleanup);
    const kiosk = createKiosk({ dataDir: data.dir, now: Date.now, secrets: testSecrets });
    cleanups.push(() => kiosk.close());
    const dispatch = createDispatcher(kiosk.handlers);
    const call = <M extends MethodName>(method: M, input: MethodInput<M>) =>
      dispatch(method, input) as Result<MethodOutput<M>>;
    const must = <M extends MethodName>(method: M, input: MethodInput<M>): MethodOutput<M> => {
      const r = call(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
      return r.value;
    };
    const exportBundle = async () => {
      const { jobId } = must('roster.export', { format: 'bundle', forumId: '' });
      for (;;) {
        const job = must('jobs.get', { jobId });
        if (job.state === 'done') return;
        if (job.state !== 'running') throw new Error(`export ${job.state}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    must('event.loadDemo', {});
    const roster = kiosk
      .db!.prepare(`SELECT display_name, email FROM guests WHERE email != '' LIMIT 3`)
      .all() as Array<{
      display_name: string;
      email: string;
    }>;
    must('guests.walkIn', {
      name: 'Zephyrine Quellmalz',
      organization: 'Kältetechnik GmbH',
      email: 'zq@kaelte.example',
      role: 'guest',
    });
    must('guests.walkIn', { name: '欧阳娜娜', organization: '', email: 'nana@example.cn', role: 'guest' });
    const code = kiosk.db!.prepare(`SELECT code FROM guest_codes LIMIT 1`).pluck().get() as string;
    must('guests.scan', { code });
    // Backups: one in the data directory, rolling ones on the "USB stick".
    await kiosk.backups!.backupNow();
    must('backups.configure', { folder: stick.dir, intervalMinutes: 5, keep: 3 });
    await kiosk.backups!.backupNow();
    fs.writeFileSync(path.join(stick.dir, 'notes.txt'), 'the organiser’s own file');
    const names = [
      'Zephyrine Quellmalz',
      'zq@kaelte.example',
      '欧阳娜娜',
      'nana@example.cn',
      ...roster.flatMap((g) => [g.display_name, g.email]),
    ];
    expect(traceOf(data.dir, 'Zephyrine Quellmalz')).not.toBeNull(); // the grep can find what is there

    const check = must('event.closeCheck', {});
    expect(check).toMatchObject({
      paired: false,
      unsynced: 5, // two walk-ins (walk_in + check_in each) and one scan
      exportedAfterLastEvent: false,
      canClose: false,
      backups: 2,
    });
    expect(call('event.close', { force: false })).toMatchObject({ ok: false, error: { code: 'unsynced_events' } });
    await exportBundle();
    expect(must('event.closeCheck', {})).toMatchObject({ exportedAfterLastEvent: true, canClose: true });
    // One more scan after the export: the bundle no longer covers everything.
    must('guests.scan', {
      code: kiosk.db!.prepare(`SELECT code FROM guest_codes LIMIT 1 OFFSET 7`).pluck().get() as string,
    });
    expect(must('event.closeCheck', {}).canClose).toBe(false);
    await exportBundle();

    expect(must('event.close', { force: false })).toMatchObject({ closed: true });
    expect(fs.readdirSync(data.dir)).toEqual([]);
    expect(fs.readdirSync(stick.dir)).toEqual(['notes.txt']);
    for (const text of names) {
      expect(traceOf(data.dir, text)).toBeNull();
      expect(traceOf(stick.dir, text)).toBeNull();
    }
    // Back at the welcome screen; nothing is written until the next event is made.
    expect(must('app.status', {})).toMatchObject({ event: null, dbError: null });
    expect(fs.readdirSync(data.dir)).toEqual([]);
    must('event.loadDemo', {});
    expect(must('stats.get', {}).checkedIn).toBe(0);
  }, 60_000);
});
