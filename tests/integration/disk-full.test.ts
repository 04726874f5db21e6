import { afterEach, describe, expect, it } from 'vitest';
import { csvLine } from '../../shared/roster/csv.ts';
import { openRosterKiosk, type RosterKiosk } from '../support/roster-kiosk.ts';

/**
 * The venue laptop's disk fills up (a video export, a full Downloads folder). SQLite then answers the
 * door's write with SQLITE_FULL. It said "the kiosk had an internal error": staff could not tell that
 * nothing was saved, nor what to do. Now: `disk_full`, nothing recorded, and the same scan works once
 * there is room again. The full disk is SQLite's own: the kiosk connection's max_page_count held at the
 * database's size, so the first write that needs a new page gets SQLITE_FULL, as from a full disk.
 */
const MAX_PAGES = 1_073_741_823;
let k: RosterKiosk | null = null;
afterEach(() => {
  k?.close();
  k = null;
});

interface ScanAnswer {
  ok: boolean;
  value?: { status: string };
  error?: { code: string; message: string };
}

function fillDisk(kiosk: RosterKiosk): void {
  const db = kiosk.kiosk.db!;
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
}

describe('a full disk at the door', () => {
  it('a scan that cannot be saved answers disk_full, records nothing, and goes through once there is room', () => {
    k = openRosterKiosk(true);
    const codes = (
      k.kiosk.db!.prepare(`SELECT code FROM guest_codes ORDER BY code LIMIT 80`).all() as Array<{ code: string }>
    ).map((r) => r.code);
    const checkinsBefore = k.count(`SELECT count(*) AS n FROM checkins`);
    fillDisk(k);
    let admitted = 0;
    let refused: { code: string; answer: ScanAnswer } | null = null;
    for (const code of codes) {
      const answer = k.call('guests.scan', { code }) as ScanAnswer;
      if (!answer.ok) {
        refused = { code, answer };
        break;
      }
      if (answer.value?.status === 'checked_in') admitted++;
    }
    expect(refused, 'some scan needs a new page within 80 scans').not.toBeNull();
    expect(refused!.answer.error?.code).toBe('disk_full');
    expect(refused!.answer.error?.message).toMatch(/full/);
    // The door did not lie: exactly the admitted scans are recorded, the refused one is not.
    expect(k.count(`SELECT count(*) AS n FROM checkins`)).toBe(checkinsBefore + admitted);
    const guestId = (
      k.kiosk.db!.prepare(`SELECT guest_id FROM guest_codes WHERE code = ?`).get(refused!.code) as {
        guest_id: string;
      }
    ).guest_id;
    expect(k.count(`SELECT count(*) AS n FROM checkins WHERE guest_id = '${guestId}'`)).toBe(0);

    k.kiosk.db!.pragma(`max_page_count = ${MAX_PAGES}`);
    const again = k.call('guests.scan', { code: refused!.code }) as ScanAnswer;
    expect(again.ok && again.value?.status).toBe('checked_in');
  });

  it('an import that cannot be written ends as disk_full and changes nothing', async () => {
    k = openRosterKiosk(true);
    const guestsBefore = k.count(`SELECT count(*) AS n FROM guests`);
    const rows = Array.from({ length: 400 }, (_, i) =>
      csvLine([`Gast ${i}`, 'Müller GmbH', `g${i}@example.org`, `DF-${i}`]),
    );
    const file = new TextEncoder().encode(`${csvLine(['Name', 'Company', 'Email', 'Code'])}${rows.join('')}`);
    fillDisk(k);
    const outcome = await k
      .importFile('full.csv', file, { preset: '', dryRun: false, mapping: null, list: 'Late list' })
      .then(
        () => 'imported',
        (error: Error) => error.message,
      );
    expect(outcome).toMatch(/^import failed: disk_full: /);
    k.kiosk.db!.pragma(`max_page_count = ${MAX_PAGES}`);
    expect(k.count(`SELECT count(*) AS n FROM guests`)).toBe(guestsBefore);
    expect(k.count(`SELECT count(*) AS n FROM guest_codes WHERE code LIKE 'DF-%'`)).toBe(0);
  });
});

describe('free disk space in app.status', () => {
  it('reports the data directory’s free space, low only under the threshold', async () => {
    const { createKiosk } = await import('../../electron/core/kiosk.ts');
    const { createDispatcher } = await import('../../electron/core/dispatch.ts');
    const { tempDir } = await import('../support/temp.ts');
    const { testSecrets } = await import('../support/secrets.ts');
    const dir = tempDir('disk-space');
    const statusOf = (lowDiskMb: number) => {
      const kiosk = createKiosk({ dataDir: dir.dir, now: Date.now, secrets: testSecrets, lowDiskMb });
      try {
        const result = createDispatcher(kiosk.handlers)('app.status', {});
        if (!result.ok) throw new Error(result.error.message);
        return (result.value as { disk: { freeMb: number; low: boolean } | null }).disk;
      } finally {
        kiosk.close();
      }
    };
    const plenty = statusOf(1);
    expect(plenty).not.toBeNull();
    expect(plenty!.freeMb).toBeGreaterThan(1);
    expect(plenty!.low).toBe(false);
    const low = statusOf(plenty!.freeMb + 1_000_000);
    expect(low!.low).toBe(true);
    dir.cleanup();
  });
});
