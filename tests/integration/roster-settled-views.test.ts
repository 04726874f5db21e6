import { afterEach, describe, expect, it } from 'vitest';
import { newGuestsCsv, startImport, untilMidWrite } from '../support/chunked-import.ts';
import { openRosterKiosk, waitJob, type RosterKiosk } from '../support/roster-kiosk.ts';

/**
 * While a big import commits its new guests in chunks, everything a person or another device sees of the
 * roster shows the list as it was — the door's counts, the guest lists, badge batches, forum placement,
 * exports, the event package — and the new guests appear everywhere at once when the import ends, or
 * never if it is cancelled (kiosk migration 016: the settled views).
 */
const ROWS = 10_000; // the smallest import that is staged and written in chunks
const opened: RosterKiosk[] = [];
afterEach(() => opened.splice(0).forEach((k) => k.close()));

function must<T>(k: RosterKiosk, method: string, input: unknown): T {
  const r = k.call(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

interface Seen {
  stats: { guests: number; checkedIn: number; walkIns: number; cancelled: number };
  badgeBatch: number;
  unprintedBatch: number;
  lists: { lists: Array<{ guests: number }>; unlisted: number };
  forums: unknown;
  placement: { considered: number; placed: number };
  packageGuests: number;
  exportText: string;
}

/**
 * What people and other devices see, read synchronously (the import cannot take a step meanwhile), but
 * the export: it is a job whose rows are read on the next turn, after at most one more chunk. `andThen`
 * runs right after the synchronous reads (a cancel, before the import can end).
 */
async function seen(k: RosterKiosk, andThen: () => void = () => {}): Promise<Seen> {
  const stats = must<Seen['stats']>(k, 'stats.get', {});
  const batch = (notPrinted: boolean) =>
    must<{ guestIds: string[] }>(k, 'badges.select', { forumId: '', role: '', notPrinted }).guestIds.length;
  const placement = must<Seen['placement']>(k, 'forums.autoAssign', { dryRun: true });
  const exported = k.exportFile('csv', '');
  const snapshot = {
    stats: { guests: stats.guests, checkedIn: stats.checkedIn, walkIns: stats.walkIns, cancelled: stats.cancelled },
    badgeBatch: batch(false),
    unprintedBatch: batch(true),
    lists: must<Seen['lists']>(k, 'roster.lists', {}),
    forums: must<{ forums: unknown }>(k, 'forums.list', {}).forums,
    placement: { considered: placement.considered, placed: placement.placed },
    packageGuests: must<{ guests: number }>(k, 'handoff.exportSetup', { passphrase: 'correct horse battery' }).guests,
  };
  andThen();
  return { ...snapshot, exportText: (await exported).bytes.toString('utf8') };
}

describe('an import still writing is on no list, count, export or badge batch', () => {
  it('shows the old roster mid-way and the new one, all at once, when the import ends', async () => {
    const k = openRosterKiosk(true);
    opened.push(k);
    const { csv, codes } = newGuestsCsv(ROWS);
    const before = await seen(k);
    expect(before.stats.guests).toBeGreaterThan(0);

    const jobId = await startImport(k, csv);
    const committed = await untilMidWrite(k, jobId); // a committed new guest's email
    const midway = await seen(k);
    expect(midway).toEqual(before);
    expect(midway.exportText).not.toContain(committed);

    expect((await waitJob(k.call, jobId)).state).toBe('done');
    const after = await seen(k);
    expect(after.stats.guests).toBe(before.stats.guests + ROWS);
    expect(after.badgeBatch).toBe(before.badgeBatch + ROWS);
    expect(after.unprintedBatch).toBe(before.unprintedBatch + ROWS);
    expect(after.lists.lists).toEqual([expect.objectContaining({ guests: ROWS }), ...before.lists.lists]);
    expect(after.lists.unlisted).toBe(before.lists.unlisted);
    expect(after.placement.considered).toBe(before.placement.considered + ROWS);
    expect(after.packageGuests).toBe(before.packageGuests + ROWS);
    expect(after.exportText).toContain(codes[0]!);
    expect(after.exportText).toContain(codes[ROWS - 1]!);
    expect(after.exportText).toContain(committed);
  });

  it('shows the old roster mid-way and after the import is cancelled', async () => {
    const k = openRosterKiosk(true);
    opened.push(k);
    const before = await seen(k);
    const jobId = await startImport(k, newGuestsCsv(ROWS).csv);
    await untilMidWrite(k, jobId);
    const cancel = () => expect(k.call('jobs.cancel', { jobId }).ok).toBe(true);
    expect(await seen(k, cancel)).toEqual(before); // the export reads while the import is being taken back
    expect((await waitJob(k.call, jobId)).state).toBe('cancelled');
    expect(await seen(k)).toEqual(before);
  });
});
