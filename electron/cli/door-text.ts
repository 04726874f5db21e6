import type { ForumScanResult, Guest, ScanResult } from '../../shared/domain.ts';

/** The CLI's plain-text lines for guests and scans (with --json the results are printed as they are). */

/** One guest on one line: id, name, organisation, codes and whether they are in. */
export function guestLine(g: Guest): string {
  const state = g.checkedIn
    ? `in since ${g.checkedInAt ?? ''} at ${g.checkedInDoor ?? ''}`
    : g.status === 'active'
      ? 'not in'
      : g.status;
  return `${g.id}  ${g.name}${g.latinName ? ` (${g.latinName})` : ''} — ${g.organization}  [${g.codes.join(', ')}]  ${state}`;
}

/** A door scan's outcome for the terminal. */
export function scanText(r: ScanResult): string {
  const who = r.guest ? guestLine(r.guest) : `code ${JSON.stringify(r.code)}`;
  const extra =
    r.status === 'already_checked_in' && r.firstCheckin
      ? ` (first at ${r.firstCheckin.at}, ${r.firstCheckin.door})`
      : '';
  return `${r.status.toUpperCase()}: ${who}${extra}${r.attention ? `\nATTENTION: ${r.attention}` : ''}`;
}

/** A forum door scan's outcome for the terminal. */
export function forumScanText(r: ForumScanResult): string {
  const who = r.guest ? guestLine(r.guest) : `code ${JSON.stringify(r.code)}`;
  const where = r.assignedForumId ? ` (assigned to ${r.assignedForumId})` : '';
  return `${r.status.toUpperCase()}: ${who}${where} — ${r.inside}/${r.capacity} inside ${r.forumId}`;
}
