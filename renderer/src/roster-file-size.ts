import type { LanyardError } from '../../shared/result.ts';
import { MAX_FILE_BYTES } from '../../shared/roster/limits.ts';
import type { RosterImportState } from './roster-import-store.ts';

/** The largest roster file, in MB, as the screen says it. */
export const MAX_FILE_MB = MAX_FILE_BYTES / 1048576;

/**
 * The import screen's refusal of a chosen file too large to import, or null: checked before the file is
 * read, so a wrong, huge export is never turned into base64 here and sent, only for the core to refuse it
 * (and past the loopback host's body limit, for nothing to come back).
 */
export function refuseTooLarge(file: File): (Pick<RosterImportState, 'refusedFile'> & { error: LanyardError }) | null {
  if (file.size <= MAX_FILE_BYTES) return null;
  const mb = Math.round(file.size / 1048576);
  return {
    refusedFile: { name: file.name, mb },
    error: { code: 'file_too_large', message: `${file.name} is ${mb} MB; the limit is ${MAX_FILE_MB} MB` },
  };
}
