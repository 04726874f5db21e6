/**
 * The result envelope every call across a boundary returns (Signal's sql_channel shape).
 * Errors carry a stable code the UI maps to localised text; the message is for logs and CLIs.
 */
export const errorCodes = [
  'invalid_input',
  'unknown_method',
  'no_event',
  'event_exists',
  'name_required',
  'invalid_timezone',
  'invalid_event_time',
  'guest_not_found',
  'checkin_not_found',
  'checkin_already_voided',
  'forum_not_found',
  'forum_full',
  'forum_exists',
  'forum_in_use',
  'file_unreadable',
  'file_too_large',
  // A call's body over the loopback host's limit (electron/host/http.ts).
  'request_too_large',
  'file_empty',
  'file_not_regular',
  'import_invalid',
  'job_not_found',
  'upload_not_found',
  'cancelled',
  'timeout',
  'reprint_needs_reason',
  'browser_missing',
  'renderer_missing',
  // An event its type's schema refuses (shared/sync/fact-schema.ts), and canonical JSON nested too deep.
  'event_too_deep',
  'event_too_large',
  'event_invalid',
  'event_clock_skew',
  'db_not_lanyard',
  'data_dir_shared',
  'db_too_new',
  'db_open_failed',
  'db_pragma_mismatch',
  'not_a_setup_file',
  'passphrase_required',
  'bad_passphrase',
  'no_signing_key',
  'wrong_event',
  'wrong_kiosk',
  'kiosk_running',
  'backup_failed',
  'backup_damaged',
  'restore_needs_sync',
  'unsynced_events',
  'bad_pin',
  'pin_locked',
  'sign_in_required',
  'supervisor_required',
  'staff_not_found',
  'staff_name_taken',
  'pin_taken',
  'last_supervisor',
  // Self-service (electron/core/self-service): the screen is the guests' now, or not (yet).
  'self_service_on',
  'self_service_off',
  'self_service_needs_supervisor',
  'lookup_locked',
  'forbidden',
  'not_paired',
  'sync_busy',
  'sync_reauth',
  // Why a pairing or sync round failed (electron/core/sync/failure.ts): one code per thing staff do about it.
  'server_unreachable',
  'server_error',
  'not_lanyard_server',
  'device_revoked',
  // A venue hub's link was revoked or replaced on the central server (server/relay/): link it again.
  'hub_revoked',
  'pairing_code_used',
  'pairing_code_expired',
  'pairing_code_invalid',
  'device_id_taken',
  'rate_limited',
  'unsupported_protocol',
  'sync_refused',
  // The venue hub (electron/core/hub/).
  'hub_busy',
  'hub_not_running',
  'hub_address_unknown',
  'hub_port_in_use',
  'hub_start_failed',
  'internal',
  // The laptop's disk is full (SQLite's SQLITE_FULL, a file write's ENOSPC): nothing was saved (unexpected-failure.ts).
  'disk_full',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface LanyardError {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: LanyardError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}

/** Thrown inside a process only; bindings turn it into a `{ok:false}` result at the boundary. */
export class LanyardFailure extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'LanyardFailure';
    this.code = code;
  }
}
