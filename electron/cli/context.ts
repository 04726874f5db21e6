import type { parseArgs } from 'node:util';
import type { MethodName } from '../../shared/contract.ts';
import type { LanyardError } from '../../shared/result.ts';
import type { JobStatusView } from '../../shared/roster/contract-types.ts';

/** What every command gets: the parsed options, its arguments, and the core behind the contract. */
export interface CliContext {
  values: ReturnType<typeof parseCliArgs>['values'];
  args: string[];
  /** Calls a core method; a failure becomes the command's error. */
  call: <T>(method: MethodName, input: unknown) => T;
  /** One JSON document with --json, else the human text. */
  out: (value: unknown, text: string) => void;
}

export class CliError extends Error {
  readonly error: LanyardError;
  constructor(error: LanyardError) {
    super(error.message);
    this.error = error;
  }
}

export function usage(message: string): never {
  throw new CliError({ code: 'invalid_input', message: `${message} (see lanyard --help)` });
}

/** Polls a job to its end; a failed or cancelled job becomes the command's error. */
export async function runJob<T>(call: CliContext['call'], jobId: string): Promise<T> {
  for (;;) {
    const status = call<JobStatusView>('jobs.get', { jobId });
    if (status.state === 'done') return status.result as T;
    if (status.error !== null) throw new CliError(status.error);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const CLI_OPTIONS = {
  data: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
  demo: { type: 'boolean', default: false },
  device: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  current: { type: 'string' },
  limit: { type: 'string' },
  forum: { type: 'string' },
  override: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  exit: { type: 'boolean', default: false },
  anyway: { type: 'boolean', default: false },
  preset: { type: 'string' },
  list: { type: 'string' },
  replace: { type: 'boolean', default: false },
  reason: { type: 'string' },
  template: { type: 'string' },
  role: { type: 'string' },
  sheet: { type: 'string' },
  'not-printed': { type: 'boolean', default: false },
  'device-key': { type: 'boolean', default: false },
  details: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  'admin-token': { type: 'string' },
  server: { type: 'string' },
  code: { type: 'string' },
  pin: { type: 'string' },
  name: { type: 'string' },
  'name-zh': { type: 'string' },
  'name-de': { type: 'string' },
  starts: { type: 'string' },
  ends: { type: 'string' },
  timezone: { type: 'string' },
  venue: { type: 'string' },
  capacity: { type: 'string' },
  room: { type: 'string' },
  colour: { type: 'string' },
  'move-to': { type: 'string' },
  from: { type: 'string' },
  passphrase: { type: 'string' },
  yes: { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  lang: { type: 'string' },
} as const;

export function parseCliArgs(parse: typeof parseArgs, argv: string[]) {
  return parse({ args: argv, allowPositionals: true, options: CLI_OPTIONS });
}
