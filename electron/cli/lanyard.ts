#!/usr/bin/env node
/**
 * `lanyard` — the kiosk core from the command line. Every command takes `--data DIR` and `--json`;
 * with --json, stdout carries exactly one JSON document and errors are `{"error":{code,message}}` with a
 * non-zero exit status.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { MethodName } from '../../shared/contract.ts';
import type { AutoAssignOutcome, ForumScanResult, ForumStatus, Guest, ScanResult } from '../../shared/domain.ts';
import { LanyardFailure, type LanyardError, type Result } from '../../shared/result.ts';
import { createDispatcher } from '../core/dispatch.ts';
import { createKiosk, idempotencyOf } from '../core/kiosk.ts';
import { defaultDataDir, defaultSecretKeyFile } from '../core/paths.ts';
import { keyFileSecretBox } from '../core/secrets.ts';
import { startHttpHost } from '../host/http.ts';
import { runBadgeCommand } from './badge-commands.ts';
import { runLifecycleCommand } from './lifecycle-commands.ts';
import { CliError, parseCliArgs, usage } from './context.ts';
import { forumScanText, guestLine, scanText } from './door-text.ts';
import { helpText } from './help.ts';
import { hubHoldsData, runHubCommand } from './hub-commands.ts';
import { runEventCommand } from './event-commands.ts';
import { runRosterCommand } from './roster-commands.ts';
import { runSelfServiceCommand } from './self-service-commands.ts';
import { runStaffCommand } from './staff-commands.ts';
import { runSyncCommand } from './sync-commands.ts';

async function main(argv: string[]): Promise<number> {
  // Everything the CLI writes (database, exports, badges) holds guests' data: owner-only, whatever the shell's umask.
  process.umask(0o077);
  const { values, positionals } = parseCliArgs(parseArgs, argv);
  const [command, ...args] = positionals;
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(helpText());
    return 0;
  }
  const json = values.json;
  const out = (value: unknown, text: string): void => {
    process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
  };
  const dataDir = path.resolve(values.data ?? defaultDataDir());
  const options = { dataDir, now: Date.now, secrets: keyFileSecretBox(defaultSecretKeyFile()) };
  // serve is the app (and hub its headless twin): it holds the data directory's lock, so restore and wipe wait.
  const kiosk = createKiosk({ ...options, appLock: command === 'serve' || hubHoldsData(command, args) });
  // The CLI is the machine owner's tool and asks no PIN; `serve` hands the screen the gated handlers.
  const dispatch = createDispatcher(kiosk.ownerHandlers);
  const call = <T>(method: MethodName, input: unknown): T => {
    const result = dispatch(method, input) as Result<T>;
    if (!result.ok) throw new CliError(result.error);
    return result.value;
  };

  try {
    const status = call<{ dbError: LanyardError | null }>('app.status', {});
    // A damaged database can still be replaced by a backup.
    if (status.dbError !== null && command !== 'restore') throw new CliError(status.dbError);
    const context = { values, args, call, out };
    const handled =
      (await runLifecycleCommand(command, context, kiosk, options)) ??
      (await runEventCommand(command, context)) ??
      (await runRosterCommand(command, context)) ??
      (await runBadgeCommand(command, context)) ??
      (await runSyncCommand(command, context, kiosk)) ??
      (await runHubCommand(command, context, kiosk, dataDir)) ??
      runStaffCommand(command, context) ??
      runSelfServiceCommand(command, context);
    if (handled !== null) return handled;
    switch (command) {
      case 'init': {
        const before = call<{ event: unknown }>('app.status', {});
        if (values.demo && before.event === null) call('event.loadDemo', {});
        const after = call<{ event: { id: string } | null; device: unknown }>('app.status', {});
        // stats.get needs an event: a kiosk set up without one has no guests yet.
        const stats = after.event === null ? { guests: 0 } : call<{ guests: number }>('stats.get', {});
        out(
          { dataDir, event: after.event, device: after.device, guests: stats.guests },
          `Kiosk ready in ${dataDir}: ${after.event ? `event ${after.event.id}, ${stats.guests} guests` : 'no event yet (lanyard event create, or init --demo)'}`,
        );
        return 0;
      }
      case 'scan': {
        const code = args[0] ?? usage('scan needs a CODE');
        if (values.device !== undefined) {
          const { device } = call<{ device: { operator: string } | null }>('app.status', {});
          call('device.update', { door: values.device, operator: device?.operator ?? 'staff' });
        }
        if (values.forum !== undefined) {
          const direction = values.exit ? 'out' : 'in';
          const input = { code, forumId: values.forum, direction, admitAnyway: values.anyway };
          const result = call<ForumScanResult>('forums.scan', input);
          out(result, forumScanText(result));
          return 0;
        }
        const result = call<ScanResult>('guests.scan', { code });
        out(result, scanText(result));
        return 0;
      }
      case 'search': {
        const query = args.join(' ');
        if (query.trim().length === 0) usage('search needs a QUERY');
        const { results } = call<{ results: Guest[] }>('guests.search', { query, limit: Number(values.limit ?? 20) });
        out({ results }, results.length === 0 ? 'no matches' : results.map(guestLine).join('\n'));
        return 0;
      }
      case 'undo': {
        const guestId = args[0] ?? usage('undo needs a GUEST_ID');
        const result = call<{ voided: { id: string; at: string }; guest: Guest }>('checkins.undo', { guestId });
        out(result, `undone: check-in ${result.voided.id} of ${result.guest.name} (${result.voided.at})`);
        return 0;
      }
      case 'stats': {
        const stats = call<Record<string, number>>('stats.get', {});
        out(
          stats,
          Object.entries(stats)
            .map(([k, v]) => `${k}: ${v}`)
            .join('\n'),
        );
        return 0;
      }
      case 'set-pin': {
        const pin = args[0] ?? usage('set-pin needs a PIN');
        call('kiosk.setPin', { currentPin: values.current ?? '', newPin: pin });
        out({ pinSet: true }, 'PIN of the supervisor "Supervisor" set');
        return 0;
      }
      case 'forums': {
        const { forums } = call<{ forums: ForumStatus[] }>('forums.list', {});
        const rows = forums.map(({ id, name, room, capacity, assigned, arrived, inside }) => ({
          id,
          name: name.en,
          room,
          capacity,
          assigned,
          arrived,
          inside,
        }));
        out(
          { forums: rows },
          rows
            .map(
              (f) =>
                `${f.id.padEnd(10)} ${f.room.padEnd(6)} ${f.assigned}/${f.capacity} assigned, ${f.arrived} arrived, ${f.inside} inside — ${f.name}`,
            )
            .join('\n'),
        );
        return 0;
      }
      case 'assign': {
        const [guestId, forumId] = args;
        if (guestId === undefined || forumId === undefined) usage('assign needs GUEST_ID FORUM_ID');
        const result = call<{ guest: Guest; overridden: boolean }>('forums.assign', {
          guestId,
          forumId,
          overrideReason: values.override ?? '',
        });
        out(result, `${result.guest.name} → ${forumId}${result.overridden ? ' (capacity override)' : ''}`);
        return 0;
      }
      case 'autoassign': {
        const result = call<AutoAssignOutcome>('forums.autoAssign', { dryRun: values['dry-run'] });
        const ranks = result.byRank.map((n, i) => `choice ${i + 1}: ${n}`).join(', ');
        out(
          result,
          `${result.applied ? 'Assigned' : 'Would assign'} ${result.placed} of ${result.considered} (${ranks}; without preference: ${result.withoutPreference}; not placed: ${result.unplaced.length})`,
        );
        return 0;
      }
      case 'serve': {
        const staticDir = path.resolve(import.meta.dirname, '../../dist/renderer');
        const screen = createDispatcher(kiosk.handlers, idempotencyOf(kiosk, Date.now));
        const host = await startHttpHost({ dispatch: screen, staticDir, port: Number(values.port ?? 5180) });
        kiosk.startBackground(); // sync once paired, rolling backups; scanning never waits for either
        out({ url: host.url, dataDir }, `Lanyard kiosk at ${host.url} (data: ${dataDir}). Ctrl+C to stop.`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await host.close();
        await kiosk.hub?.shutdown(); // the venue hub stops listening with the app (and listens again at its next start)
        return 0;
      }
      default:
        return usage(`unknown command ${JSON.stringify(command)}`);
    }
  } finally {
    kiosk.close(); // serve too, once stopped: its checkpoint worker and timers go with it
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const failure: LanyardError =
      error instanceof CliError
        ? error.error
        : error instanceof LanyardFailure
          ? { code: error.code, message: error.message }
          : { code: error instanceof TypeError ? 'invalid_input' : 'internal', message: (error as Error).message };
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ error: failure })}\n`);
    else process.stderr.write(`lanyard: ${failure.code}: ${failure.message}\n`);
    process.exitCode = 1;
  },
);
