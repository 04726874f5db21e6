import { afterEach, describe, expect, it } from 'vitest';
import { startRosterCodeIndexer } from '../../electron/core/badges/codes/roster-code-index.ts';
import { ShortCodeService } from '../../electron/core/badges/codes/short-codes.ts';
import { WalSyncer } from '../../electron/core/db/without-sync.ts';
import { eventTag } from '../../electron/core/badges/codes/signed-codes.ts';
import { minimalGuest } from '../../electron/core/guests/row.ts';
import { parseShortCode } from '../../shared/codes/short.ts';
import type { ScanResult } from '../../shared/domain.ts';
import type { ImportSummary } from '../../shared/roster/contract-types.ts';
import { job, newGuestsCsv, startImport, untilMidWrite } from '../support/chunked-import.ts';
import { openRosterKiosk, waitJob, type RosterKiosk } from '../support/roster-kiosk.ts';
import { testSecrets } from '../support/secrets.ts';
import { VECTOR_EVENT, vectorKiosk } from '../support/short-code-vectors.ts';

/**
 * Issue 16, the door during a big import: the roster-code indexer (badges/codes/roster-code-index.ts)
 * computed the badge codes of the import's new guests between its chunks, ~0.7–1.5 s of HMACs on the
 * door's thread for 100,000 guests while scans waited, for guests the door does not see yet and the
 * import may still take back. Their codes are indexed once the import is done; guests added meanwhile by
 * other means are still found at once.
 */
const kiosks: RosterKiosk[] = [];
const closers: Array<() => void> = [];
afterEach(() => {
  kiosks.splice(0).forEach((k) => k.close());
  closers.splice(0).forEach((close) => close());
});

const importedIndexed = (k: RosterKiosk): number =>
  k.count(`SELECT count(*) AS n FROM roster_code_index i JOIN guests g ON g.id = i.guest_id WHERE g.source = 'import'`);

describe('roster badge codes of an import that is still writing', () => {
  it('are not indexed, by the indexer nor by a scan’s look-up, until the import is done', () => {
    const notYet = { from: 'imp_ab', to: 'imp_ab~' };
    const k = vectorKiosk(1);
    closers.push(k.close);
    const { db, guests } = k;
    // Wired as the kiosk wires it (kiosk-composition.ts): an import's pending guests are not on the roster yet.
    const short = new ShortCodeService(
      db,
      k.meta,
      testSecrets,
      () => Buffer.from(eventTag(VECTOR_EVENT)).toString('hex'),
      Date.now,
      (id) => guests.isPending(id),
    );
    const add = (id: string) => db.transaction(() => guests.insert(minimalGuest(id, `Guest ${id}`, '')))();
    const check = (guestId: string) => {
      const code = short.rosterCode(guestId);
      return short.check(code, parseShortCode(code)!);
    };
    add('g-before');
    guests.setPending(notYet);
    for (let i = 0; i < 50; i++) add(`imp_ab${String(i).padStart(4, '0')}`);
    add('g-synced-meanwhile'); // a guest synced in while the import writes: after its rows
    const indexed = () => db.prepare(`SELECT count(*) FROM roster_code_index`).pluck().get() as number;

    expect(short.indexSome(10_000)).toBe(1); // the guest before the import only
    expect(indexed()).toBe(1);
    // A scan of a pending guest's badge: not on the door's roster yet, and nothing computed for it.
    expect(check('imp_ab0007')).toMatchObject({ valid: false, reason: 'bad_signature' });
    // A badge of the guest synced in meanwhile is found at once, past the import's guests.
    expect(check('g-synced-meanwhile')).toMatchObject({ valid: true, guestId: 'g-synced-meanwhile' });
    expect(indexed()).toBe(2);

    guests.setPending(null); // the import's last transaction committed
    expect(short.indexSome(10_000)).toBe(51);
    expect(check('imp_ab0007')).toMatchObject({ valid: true, guestId: 'imp_ab0007' });
    expect(indexed()).toBe(52);
  });

  it('once the import is done, the indexer catches up with its commits synced off the door’s thread', async () => {
    const k = vectorKiosk(1);
    closers.push(k.close);
    const { db, guests, short } = k;
    db.transaction(() => {
      for (let i = 0; i < 3000; i++)
        guests.insert(minimalGuest(`imp_cd${String(i).padStart(4, '0')}`, `Gast ${i}`, ''));
    })();
    // The kiosk's indexer, as background-services.ts starts it, with the syncer it would make itself.
    const wal = new WalSyncer(db);
    const stop = startRosterCodeIndexer(db, (slice) => short.indexSome(slice), 3, 2_000, wal);
    try {
      const deadline = Date.now() + 30_000;
      while ((db.prepare(`SELECT count(*) FROM roster_code_index`).pluck().get() as number) < 3000) {
        if (Date.now() > deadline) throw new Error('the indexer did not catch up within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      stop();
    }
    // Its ticks commit without a sync (derived data); their frames were synced on the thread pool, so a
    // scan's FULL commit right after does not carry them.
    expect(wal.syncs).toBeGreaterThan(0);
  });

  it('a 12,000-row import: nothing indexed for its guests while it writes, their badges admitted right after', async () => {
    const k = openRosterKiosk(true);
    kiosks.push(k);
    const { csv } = newGuestsCsv(12_000);
    const jobId = await startImport(k, csv);
    await untilMidWrite(k, jobId); // guests committed, the import still writing
    expect(job(k, jobId).state).toBe('running');
    // A roster badge no guest has: the look-up indexes what it may, never the import's pending guests.
    const unknown = `${'8101'}${'1'.repeat(20)}`;
    const refused = k.call('guests.scan', { code: unknown });
    expect(refused.ok && (refused.value as ScanResult).status).toBe('invalid_code');
    expect(importedIndexed(k)).toBe(0);
    // Let the background indexer tick while the import writes (it checks every few ms when it has work).
    const done = await waitJob(k.call, jobId);
    expect(done.state).toBe('done');
    expect((done.result as ImportSummary).applied).toBe(true);

    const newGuest = k.kiosk
      .db!.prepare(`SELECT id FROM guests WHERE source = 'import' ORDER BY rowid DESC LIMIT 1`)
      .pluck()
      .get() as string;
    const issued = k.call('codes.issue', { guestId: newGuest, deviceKey: false });
    if (!issued.ok) throw new Error(issued.error.message);
    const scanned = k.call('guests.scan', { code: (issued.value as { code: string }).code });
    expect(scanned.ok && scanned.value).toMatchObject({ status: 'checked_in', guest: { id: newGuest } });
  });
});
