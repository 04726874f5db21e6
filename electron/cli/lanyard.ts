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
import { runEventCommand } from './event-commands.ts';
import { runRosterCommand } from './roster-commands.ts';
import { runStaffCommand } from './staff-commands.ts';
import { runSyncCommand } from './sync-commands.ts';

const HELP = `lanyard — offline event check-in kiosk

Usage: lanyard <command> [arguments] [--data DIR] [--json]

Commands:
  init [--demo]              create the kiosk database (and load the demo Open Day event)
  event create --name NAME [--name-zh N] [--name-de N] [--starts ISO] [--ends ISO] [--timezone IANA]
               [--venue V] [--template SIZE]
                             create this kiosk's event (times are local to --timezone, default this
                             machine's zone, unless they carry an offset); prints {"eventId"}
  event show                 the event, its times, venue, badge size and sub-forums
  event update [same flags]  change the fields given
  init --from FILE [--passphrase P]
                             make this kiosk a kiosk of the event in another kiosk's set-up file
  event export --out FILE --passphrase P
                             the event's set-up file for another kiosk (event, forums, lists, roster, public
                             keys, revocations); the passphrase (8+ characters) seals its secrets
  backup --out FILE          a checked online backup of this kiosk's database
  restore FILE [--force]     put a backup in place (not while the app runs; same event and kiosk only)
  wipe --yes [--force]       close the event here: delete the database, its backups, keys and sync token;
                             refused while events are neither synced nor in an exported bundle (--force)
  scan CODE [--device NAME]  check in the guest with this code (NAME sets this kiosk's door name)
  search QUERY               find guests by name, pinyin, initials, organisation, email or code
  undo GUEST_ID              undo the guest's latest check-in
  stats                      counts: guests, checked in, walk-ins, cancelled
  staff add NAME --role door|supervisor --pin PIN
                             add a staff member (door staff, or a supervisor who approves reprints,
                             overrides, others' undos, edits, imports, exports and leaving kiosk mode)
  staff list | staff remove ID
                             the staff (names and roles; never a PIN or its hash)
  set-pin PIN                the PIN of the supervisor called "Supervisor" (added if missing); kept from
                             the single kiosk PIN of earlier versions
  import FILE [--list NAME] [--replace] [--preset NAME] [--dry-run]
                             import a guest list (CSV/XLSX; presets: pretix, eventbrite, indico, generic)
                             into list NAME (default: the preset's system or the file's name); adds and
                             updates only. --replace: the file is the list's complete file, so its guests
                             missing from it leave the list (removed if on no other list; walk-ins stay);
                             preview with --dry-run. All-or-nothing: with row errors the exit status is 2
  export --format csv|xlsx|json|bundle --out FILE [--forum ID]
                             export attendance (CSV with BOM, XLSX sheets, JSON event log, or a .zip of all)
  code GUEST_ID [--device-key]
                             the guest's badge code: 24 digits (a walk-in's 36), or the long signed form
                             with name and organisation when the event opts in (codes --details on)
  verify CODE                explain a badge code: {valid, reason, keyId, guestId, ...}
  revoke GUEST_ID --reason R revoke a guest's badge code (a lost or stolen badge)
  codes [--details on|off | rotate-secret | revoke-secret GEN | retire-secret GEN]
                             the event's badge-code policy and its cost in digits and scan time; a lost
                             kiosk: rotate the code secret, then revoke its generation (unsynced walk-ins
                             of it stop); retire a generation once its badges are reprinted
  keys [rotate | trust ID HEX | retire ID | revoke ID]
                             list signing keys; rotate the event key; retire a key (its badges stop
                             working) or revoke a lost kiosk's device key
  badge GUEST_ID --out FILE.pdf [--template SIZE] [--reason R]
                             render a guest's badge to PDF (sizes: cr80, 4x3in, a6, ql-62x100, 4x6in);
                             a reprint needs --reason; every print is a badge_print event
  badges --out FILE.pdf [--template SIZE] [--forum ID] [--role ROLE] [--not-printed] [--reason R] [--sheet a4]
                             a PDF of many badges, one per label page, or on A4 sheets of cards
  forums                     each sub-forum with capacity, assigned, arrived, inside
  forums add ID --name NAME [--name-zh N] [--name-de N] [--capacity N] [--room R] [--starts ISO]
             [--ends ISO] [--colour #RRGGBB]
                             add a sub-forum (capacity 100 and the event's times unless given)
  forums update ID [same flags]
                             change a sub-forum's fields given
  forums remove ID [--move-to OTHER]
                             remove a sub-forum; with guests assigned, --move-to moves them first
  forums order ID ID …       put the sub-forums in this order
  assign GUEST_ID FORUM_ID [--override REASON]
                             assign a guest to a forum (a full forum needs --override)
  autoassign [--dry-run]     fill forums from ranked preferences (rank-maximal) and explain the outcome
  scan CODE --forum FORUM_ID [--exit] [--anyway]
                             a scan at a forum room's door (entry, or exit with --exit)
  publish URL --admin-token T
                             upload this kiosk's event (roster, forums, public keys) to a sync server
  pair URL CODE              pair this kiosk with a sync server using a one-time pairing code
  sync                       one sync round now: {pushed, pulled, duplicates, conflicts, cursor}
  status                     sync status: online/offline, last sync, events waiting, clock offset
  conflicts                  badges admitted at more than one door, forum conflicts, refused events
  serve [--port N]           serve the kiosk in a browser at http://127.0.0.1:N (default 5180)

Options:
  --data DIR   data directory (default: ${defaultDataDir()}, or $LANYARD_DATA)
  --json       machine-readable output on stdout
  --help       this text
`;

function guestLine(g: Guest): string {
  const state = g.checkedIn
    ? `in since ${g.checkedInAt ?? ''} at ${g.checkedInDoor ?? ''}`
    : g.status === 'active'
      ? 'not in'
      : g.status;
  return `${g.id}  ${g.name}${g.latinName ? ` (${g.latinName})` : ''} — ${g.organization}  [${g.codes.join(', ')}]  ${state}`;
}

function scanText(r: ScanResult): string {
  const who = r.guest ? guestLine(r.guest) : `code ${JSON.stringify(r.code)}`;
  const extra =
    r.status === 'already_checked_in' && r.firstCheckin
      ? ` (first at ${r.firstCheckin.at}, ${r.firstCheckin.door})`
      : '';
  return `${r.status.toUpperCase()}: ${who}${extra}${r.attention ? `\nATTENTION: ${r.attention}` : ''}`;
}

function forumScanText(r: ForumScanResult): string {
  const who = r.guest ? guestLine(r.guest) : `code ${JSON.stringify(r.code)}`;
  const where = r.assignedForumId ? ` (assigned to ${r.assignedForumId})` : '';
  return `${r.status.toUpperCase()}: ${who}${where} — ${r.inside}/${r.capacity} inside ${r.forumId}`;
}

async function main(argv: string[]): Promise<number> {
  // Everything the CLI writes (database, exports, badges) holds guests' data: owner-only, whatever the shell's umask.
  process.umask(0o077);
  const { values, positionals } = parseCliArgs(parseArgs, argv);
  const [command, ...args] = positionals;
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const json = values.json;
  const out = (value: unknown, text: string): void => {
    process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
  };
  const dataDir = path.resolve(values.data ?? defaultDataDir());
  const options = { dataDir, now: Date.now, secrets: keyFileSecretBox(defaultSecretKeyFile()) };
  // serve is the app: it holds the data directory's lock, so restore and wipe wait for it to stop.
  const kiosk = createKiosk({ ...options, appLock: command === 'serve' });
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
      runStaffCommand(command, context);
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
        return 0;
      }
      default:
        return usage(`unknown command ${JSON.stringify(command)}`);
    }
  } finally {
    if (command !== 'serve') kiosk.close();
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
