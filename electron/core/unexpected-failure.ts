import { LanyardFailure } from '../../shared/result.ts';

/**
 * What an error no handler expected means for the people at the door. A full disk has a code of its own:
 * staff can do something about it (free space, call the organiser), and must know that nothing was saved
 * — as `internal` it read "the kiosk had an internal error", and a scan that was not recorded looked like
 * a fault to report rather than a laptop to fix. SQLite answers a full disk (or a full WAL) with
 * SQLITE_FULL; Node's file writes (staging files, exports, backups) with ENOSPC, or EDQUOT over a quota.
 * Everything else stays `internal`, with its message for the log.
 */
export function unexpectedFailure(error: unknown, context = ''): LanyardFailure {
  if (error instanceof LanyardFailure) return error;
  const message = `${context}${error instanceof Error ? error.message : String(error)}`;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return new LanyardFailure('disk_full', message);
  return new LanyardFailure('internal', message);
}
