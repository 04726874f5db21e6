import type { Database } from 'better-sqlite3';
import { generateRoster } from '../../electron/core/demo/generate.ts';
import type { JobStatusView, RosterPreview } from '../../shared/roster/contract-types.ts';
import { csvLine } from '../../shared/roster/csv.ts';
import type { RosterKiosk } from './roster-kiosk.ts';

/**
 * Helpers for tests of a big import that commits in chunks (electron/core/roster/import-chunks.ts):
 * a file of new guests, the import started as a job, and the moment its first guests are committed.
 */

/** New guests only: codes and emails no demo guest has. */
export function newGuestsCsv(rows: number): { csv: Buffer; codes: string[] } {
  const guests = generateRoster(rows, 23);
  const codes = guests.map((_, i) => String(9_000_000_000_000 + i));
  const header = ['Name', 'Pinyin', 'Company', 'Email', 'Ticket', 'Forum', 'Type'];
  const lines = guests.map((g, i) =>
    csvLine([g.displayName, g.latinName, g.organization, `new.${i}@import.example`, codes[i]!, '', g.role]),
  );
  return { csv: Buffer.from(`\uFEFF${csvLine(header)}${lines.join('')}`), codes };
}

/** Uploads the file and starts its import; returns the import's job id. */
export async function startImport(k: RosterKiosk, csv: Buffer): Promise<string> {
  const preview = (await k.upload('new-guests.csv', csv)).result as RosterPreview;
  const started = k.call('roster.import', { uploadId: preview.uploadId, mapping: preview.mapping, dryRun: false });
  if (!started.ok) throw new Error(started.error.message);
  return (started.value as { jobId: string }).jobId;
}

export const job = (k: RosterKiosk, jobId: string): JobStatusView => {
  const r = k.call('jobs.get', { jobId });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as JobStatusView;
};

/** A new guest's code whose row is committed already (the import is writing), or null. */
export const committedNewCode = (db: Database): string | null =>
  (db
    .prepare(`SELECT c.code FROM guest_codes c JOIN guests g ON g.id = c.guest_id WHERE g.source = 'import' LIMIT 1`)
    .pluck()
    .get() as string | undefined) ?? null;

/** A new guest whose row is committed already (the import is writing), or null. */
export const committedNewGuest = (db: Database): { id: string; email: string } | null =>
  (db.prepare(`SELECT id, email FROM guests WHERE source = 'import' ORDER BY id LIMIT 1`).get() as
    { id: string; email: string } | undefined) ?? null;

/**
 * Waits (between two of the import's chunks: it yields to the event loop after each) until new guests
 * are committed while the import still runs; returns one's email. The caller's synchronous code then
 * sees the import mid-way. By the guests' rows, which the copy writes first, not by their codes: those
 * come near the end, and a caller that awaits something after this (an export) could see the import end.
 */
export async function untilMidWrite(k: RosterKiosk, jobId: string): Promise<string> {
  for (;;) {
    const guest = committedNewGuest(k.kiosk.db!);
    if (guest !== null) return guest.email;
    if (job(k, jobId).state !== 'running') throw new Error('the import ended before it committed a chunk');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
