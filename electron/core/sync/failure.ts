import { LanyardFailure, type ErrorCode } from '../../../shared/result.ts';
import { unexpectedFailure } from '../unexpected-failure.ts';
import { SyncHttpError } from './client.ts';

/**
 * What a failed pairing or sync round tells staff and scripts: one stable code per situation
 * they act on differently — wait for the network, pair again, ask for a new code — instead of the
 * transport's detail. The English message keeps that detail for logs and `--json`.
 */
const passedThrough: ReadonlySet<string> = new Set<ErrorCode>([
  'pairing_code_used',
  'pairing_code_expired',
  'pairing_code_invalid',
  'device_id_taken',
  'rate_limited',
  'unsupported_protocol',
]);

export function syncErrorCode(error: SyncHttpError): ErrorCode {
  const { status, code } = error;
  // No answer, or a proxy saying the server behind it is away: the same thing for the door.
  if (status === 0 || status === 502 || status === 503 || status === 504) return 'server_unreachable';
  // The token is unknown, revoked or rolled, or belongs to another event: only pairing again helps.
  if (status === 401 || status === 403) return 'device_revoked';
  if (passedThrough.has(code)) return code as ErrorCode;
  if (code === 'bad_response' || status === 404) return 'not_lanyard_server';
  if (status >= 500) return 'server_error';
  return 'sync_refused';
}

/** The failure to throw and to keep as the status's last error. */
export function syncFailure(error: unknown): unknown {
  if (error instanceof SyncHttpError) return new LanyardFailure(syncErrorCode(error), error.message);
  return error;
}

/** The last error as the status shows it: every failure with its stable code. */
export function describeSyncError(error: unknown): { code: string; message: string } {
  const failure = syncFailure(error);
  const described = unexpectedFailure(failure);
  return { code: described.code, message: described.message };
}
