import type { ColumnMapping } from '../../../shared/roster/mapping.ts';
import type { UploadedTable } from './read-off-thread.ts';

/** What one import is asked to do, once its file is read. */
export interface ImportRequest {
  fileName: string;
  table: UploadedTable;
  mapping: ColumnMapping;
  dryRun: boolean;
  listName: string;
  replace: boolean;
  /** Who asked for it, read when the job starts: a supervisor's approval lasts for that call only. */
  actor: string;
}
