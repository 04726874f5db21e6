import { fold } from '../search/fold.ts';
import { presets } from './mapping.ts';

/**
 * Guest lists: every import belongs to one (the registration system's export, the protocol office's VIP
 * list, the speakers…), and a guest may be on several. Runtime-neutral and pure.
 *
 * An import adds and updates; only "this file is the complete list" (replace) takes guests off — and
 * only off that list. The rule for a guest of list L missing from L's complete file:
 * - they leave L (their other lists keep them);
 * - they are marked removed only if they are then on no list at all and are not a walk-in (a walk-in
 *   came to the door in person; no file can say they are not there). Removed is a status, never a
 *   deletion: their check-ins and badges stay valid history, and a later file that lists them again
 *   makes them active.
 * Guests on no list (walk-ins, the demo roster, guests another kiosk told us about) are never touched.
 */
export const MAX_LIST_NAME = 100;

/** Two names that fold alike are one list: `Eventbrite`, `eventbrite`, `ＥＶＥＮＴＢＲＩＴＥ`. */
export function listKey(name: string): string {
  return fold(name);
}

/** The trimmed list name, or null when it is empty (or folds to nothing) or too long. */
export function cleanListName(name: string): string | null {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (trimmed.length === 0 || trimmed.length > MAX_LIST_NAME || listKey(trimmed) === '') return null;
  return trimmed;
}

/** The name offered for a file's list: its preset's system ("Eventbrite"), else the file's base name. */
export function defaultListName(fileName: string, preset: string): string {
  const fromPreset = presets[preset]?.listName ?? '';
  if (fromPreset !== '') return fromPreset;
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  return cleanListName(base.slice(0, MAX_LIST_NAME)) ?? 'Guests';
}

export interface ListMember {
  id: string;
  /** Lists the guest is on besides the one being replaced. */
  otherLists: number;
  walkIn: boolean;
  removed: boolean;
}

/**
 * A complete file for a list: which of its members leave it, and which of those are marked removed
 * (see the rule above). `inFile`: the ids of guests the file's rows matched.
 */
export function planListReplacement(
  members: readonly ListMember[],
  inFile: ReadonlySet<string>,
): { leaving: string[]; removals: string[] } {
  const leaving: string[] = [];
  const removals: string[] = [];
  for (const m of members) {
    if (inFile.has(m.id)) continue;
    leaving.push(m.id);
    if (m.otherLists === 0 && !m.walkIn && !m.removed) removals.push(m.id);
  }
  return { leaving, removals };
}
