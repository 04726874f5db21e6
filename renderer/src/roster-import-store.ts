import { create } from 'zustand';
import type { ImportSummary, JobStatusView, RosterPreview } from '../../shared/roster/contract-types.ts';
import type { ColumnMapping } from '../../shared/roster/mapping.ts';
import type { LanyardError } from '../../shared/result.ts';

/**
 * The import screen's state, kept outside the screen: door staff leave the Roster view in the middle of an
 * import (a scan's "back to the door"), and when they come back the running import's progress, and then
 * its counts, must still be there (held in the component, they were lost with it while the import ran on).
 */
export interface RosterImportState {
  preview: RosterPreview | null;
  mapping: ColumnMapping;
  job: JobStatusView | null;
  summary: ImportSummary | null;
  error: LanyardError | null;
  /** The chosen file the screen refused as too large before reading it: named, with its size, in the note. */
  refusedFile: { name: string; mb: number } | null;
  listName: string;
  replace: boolean;
  /** The settings of the last clean check: a complete-list import needs one for exactly these settings. */
  checked: string;
  listsVersion: number;
  put(patch: Partial<Omit<RosterImportState, 'put'>>): void;
}

export const useRosterImport = create<RosterImportState>()((set) => ({
  preview: null,
  mapping: {},
  job: null,
  summary: null,
  error: null,
  refusedFile: null,
  listName: '',
  replace: false,
  checked: '',
  listsVersion: 0,
  put: (patch) => set(patch),
}));
