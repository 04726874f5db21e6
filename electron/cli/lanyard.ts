#!/usr/bin/env node
/**
 * `lanyard` — the kiosk core from the command line. Every command takes `--data DIR` and `--json`;
 * with --json, stdout carries exactly one JSON document and errors are `{"error":{code,message}}` with a
 * non-zero exit status.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { MethodName } from '../../shared/contract.ts';
import { badgeSizes, type BadgeSize } from '../../shared/badges/templates.ts';
import type {
  AutoAssignOutcome,
  EventInfo,
  ForumScanResult,
  ForumStatus,
  Guest,
  ScanResult,
} from '../../shared/domain.ts';
import { badgeData } from '../core/badges/badges.ts';
import { renderBadgesPdf } from '../core/badges/render-pdf.ts';
import type { LanyardError, Result } from '../../shared/result.ts';
import type { ExportFile, ImportSummary, JobStatusView, RosterPreview } from '../../shared/roster/contract-types.ts';
import type { ColumnMapping } from '../../shared/roster/mapping.ts';
import { createDispatcher } from '../core/dispatch.ts';
import { createKiosk } from '../core/kiosk.ts';
import { defaultDataDir } from '../core/paths.ts';
import { startHttpHost } from '../host/http.ts';

const HELP = `lanyard — offline event check-in kiosk

Usage: lanyard <command> [arguments] [--data DIR] [--json]

Commands:
  init [--demo]              create the kiosk database (and load the demo Open Day event)
  scan CODE [--device NAME]  check in the guest with this code (NAME sets this kiosk's door name)
  search QUERY               find guests by name, pinyin, initials, organisation, email or code
  undo GUEST_ID              undo the guest's latest check-in
  stats                      counts: guests, checked in, walk-ins, cancelled
  set-pin PIN [--current P]  set the staff PIN that unlocks kiosk mode
  import FILE [--preset NAME] [--dry-run]
                             import a roster (CSV/XLSX; presets: pretix, eventbrite, indico, generic);
                             all-or-nothing: with row errors nothing changes and the exit status is 2
  export --format csv|xlsx|json|bundle --out FILE [--forum ID]
                             export attendance (CSV with BOM, XLSX sheets, JSON event log, or a .zip of all)
  code GUEST_ID [--device-key]
                             the guest's signed badge code (digits only, Ed25519)
  verify CODE                explain a badge code: {valid, reason, keyId, guestId, ...}
  revoke GUEST_ID --reason R revoke a guest's badge code (a lost or stolen badge)
  keys [rotate | trust ID HEX | retire ID | revoke ID]
                             list signing keys; rotate the event key; retire a key (its badges stop
                             working) or revoke a lost kiosk's device key
  badge GUEST_ID --out FILE.pdf [--template SIZE] [--reason R]
                             render a guest's badge to PDF (sizes: cr80, 4x3in, a6, ql-62x100, 4x6in);
                             a reprint needs --reason; every print is a badge_print event
  badges --out FILE.pdf [--template SIZE] [--forum ID] [--role ROLE] [--not-printed] [--reason R] [--sheet a4]
                             a PDF of many badges, one per label page, or on A4 sheets of cards
  forums                     each sub-forum with capacity, assigned, arrived, inside
  assign GUEST_ID FORUM_ID [--override REASON]
                             assign a guest to a forum (a full forum needs --override)
  autoassign [--dry-run]     fill forums from ranked preferences (rank-maximal) and explain the outcome
  scan CODE --forum FORUM_ID [--exit] [--anyway]
                             a scan at a forum room's door (entry, or exit with --exit)
  serve [--port N]           serve the kiosk in a browser at http://127.0.0.1:N (default 5180)

Options:
  --data DIR   data directory (default: ${defaultDataDir()}, or $LANYARD_DATA)
  --json       machine-readable output on stdout
  --help       this text
`;

class CliError extends Error {
  readonly error: LanyardError;
  constructor(error: LanyardError) {
    super(error.message);
    this.error = error;
  }
}

function usage(message: string): never {
  throw new CliError({ code: 'invalid_input', message: `${message} (see lanyard --help)` });
}

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

/** Polls a job to its end; a failed or cancelled job becomes the command's error. */
async function runJob<T>(call: <R>(method: MethodName, input: unknown) => R, jobId: string): Promise<T> {
  for (;;) {
    const status = call<JobStatusView>('jobs.get', { jobId });
    if (status.state === 'done') return status.result as T;
    if (status.error !== null) throw new CliError(status.error);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function forumScanText(r: ForumScanResult): string {
  const who = r.guest ? guestLine(r.guest) : `code ${JSON.stringify(r.code)}`;
  const where = r.assignedForumId ? ` (assigned to ${r.assignedForumId})` : '';
  return `${r.status.toUpperCase()}: ${who}${where} — ${r.inside}/${r.capacity} inside ${r.forumId}`;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      demo: { type: 'boolean', default: false },
      device: { type: 'string' },
      port: { type: 'string' },
      current: { type: 'string' },
      limit: { type: 'string' },
      forum: { type: 'string' },
      override: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      exit: { type: 'boolean', default: false },
      anyway: { type: 'boolean', default: false },
      preset: { type: 'string' },
      reason: { type: 'string' },
      template: { type: 'string' },
      role: { type: 'string' },
      sheet: { type: 'string' },
      'not-printed': { type: 'boolean', default: false },
      'device-key': { type: 'boolean', default: false },
      format: { type: 'string' },
      out: { type: 'string' },
    },
  });
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
  const kiosk = createKiosk({ dataDir, now: Date.now });
  const dispatch = createDispatcher(kiosk.handlers);
  const call = <T>(method: MethodName, input: unknown): T => {
    const result = dispatch(method, input) as Result<T>;
    if (!result.ok) throw new CliError(result.error);
    return result.value;
  };

  try {
    const status = call<{ dbError: LanyardError | null }>('app.status', {});
    if (status.dbError !== null) throw new CliError(status.dbError);
    switch (command) {
      case 'init': {
        const before = call<{ event: unknown }>('app.status', {});
        if (values.demo && before.event === null) call('event.loadDemo', {});
        const after = call<{ event: { id: string } | null; device: unknown }>('app.status', {});
        const stats = call<{ guests: number }>('stats.get', {});
        out(
          { dataDir, event: after.event, device: after.device, guests: stats.guests },
          `Kiosk ready in ${dataDir}: ${after.event ? `event ${after.event.id}, ${stats.guests} guests` : 'no event yet (use --demo)'}`,
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
        out({ pinSet: true }, 'staff PIN set');
        return 0;
      }
      case 'import': {
        const file = args[0] ?? usage('import needs a FILE');
        const bytes = fs.readFileSync(path.resolve(file));
        const preview = await runJob<RosterPreview>(
          call,
          call<{ jobId: string }>('roster.upload', {
            fileName: path.basename(file),
            dataBase64: bytes.toString('base64'),
          }).jobId,
        );
        const mapping =
          values.preset === undefined
            ? preview.mapping
            : call<{ mapping: ColumnMapping }>('roster.presetMapping', {
                uploadId: preview.uploadId,
                preset: values.preset,
              }).mapping;
        const summary = await runJob<ImportSummary>(
          call,
          call<{ jobId: string }>('roster.import', { uploadId: preview.uploadId, mapping, dryRun: values['dry-run'] })
            .jobId,
        );
        const { added, updated, unchanged, removed, errors } = summary;
        const lines = errors.map((e) => `row ${e.row}, ${e.column}: ${e.code}: ${e.message}`);
        out(
          { added, updated, unchanged, removed, errors, applied: summary.applied },
          `${summary.applied ? 'Imported' : values['dry-run'] && errors.length === 0 ? 'Dry run' : 'NOT imported'}: ${added} added, ${updated} updated, ${unchanged} unchanged, ${removed} removed${lines.length ? `\n${lines.join('\n')}` : ''}`,
        );
        return errors.length > 0 ? 2 : 0;
      }
      case 'export': {
        const format = values.format ?? usage('export needs --format csv|xlsx|json|bundle');
        const target = values.out ?? usage('export needs --out FILE');
        const file = await runJob<ExportFile>(
          call,
          call<{ jobId: string }>('roster.export', { format, forumId: values.forum ?? '' }).jobId,
        );
        fs.writeFileSync(path.resolve(target), Buffer.from(file.dataBase64, 'base64'));
        out({ path: path.resolve(target), format, rows: file.rows }, `${file.rows} guests → ${path.resolve(target)}`);
        return 0;
      }
      case 'code': {
        const guestId = args[0] ?? usage('code needs a GUEST_ID');
        const result = call<{ code: string; keyId: number }>('codes.issue', {
          guestId,
          deviceKey: values['device-key'],
        });
        out({ guestId, ...result }, result.code);
        return 0;
      }
      case 'verify': {
        const code = args[0] ?? usage('verify needs a CODE');
        const result = call<{ valid: boolean; reason: string; detail: string }>('codes.verify', { code });
        out(
          result,
          `${result.valid ? 'VALID' : 'INVALID'}: ${result.reason}${result.detail ? ` — ${result.detail}` : ''}`,
        );
        return result.valid ? 0 : 3;
      }
      case 'revoke': {
        const guestId = args[0] ?? usage('revoke needs a GUEST_ID');
        call('codes.revoke', { guestId, reason: values.reason ?? usage('revoke needs --reason') });
        out({ guestId, revoked: true }, `badge code of ${guestId} revoked`);
        return 0;
      }
      case 'keys': {
        const [action, id] = args;
        if (action === 'rotate') {
          const r = call<{ keyId: number }>('keys.rotate', {});
          out(r, `new event key ${r.keyId}`);
          return 0;
        }
        if (action === 'trust') {
          const [, keyId, publicKey] = args;
          if (keyId === undefined || publicKey === undefined) usage('keys trust needs KEY_ID PUBLIC_KEY_HEX');
          out(call('keys.trust', { keyId: Number(keyId), publicKey }), `trusting event key ${keyId}`);
          return 0;
        }
        if (action === 'retire' || action === 'revoke') {
          const keyId = Number(id ?? usage(`keys ${action} needs a key id`));
          const r = call<{ keys: unknown[] }>('keys.setStatus', {
            keyId,
            status: action === 'retire' ? 'retired' : 'revoked',
          });
          out(r, `key ${keyId} ${action === 'retire' ? 'retired' : 'revoked'}`);
          return 0;
        }
        if (action !== undefined) usage(`unknown keys action ${action}`);
        const r = call<{ keys: Array<{ keyId: number; kind: string; status: string }> }>('keys.list', {});
        out(r, r.keys.map((k) => `${k.keyId}\t${k.kind}\t${k.status}`).join('\n'));
        return 0;
      }
      case 'badge':
      case 'badges': {
        const target = path.resolve(values.out ?? usage(`${command} needs --out FILE.pdf`));
        if (values.template !== undefined && !Object.hasOwn(badgeSizes, values.template)) {
          usage(`unknown template ${values.template}; one of ${Object.keys(badgeSizes).join(', ')}`);
        }
        const settings = call<{
          defaultTemplate: BadgeSize;
          byRole: Partial<Record<string, BadgeSize>>;
          logoDataUrl: string;
        }>('badges.settings', {});
        const status = call<{ event: EventInfo | null }>('app.status', {});
        if (status.event === null) throw new CliError({ code: 'no_event', message: 'this kiosk has no event yet' });
        let ids: string[];
        if (command === 'badge') ids = [args[0] ?? usage('badge needs a GUEST_ID')];
        else {
          const filter = { forumId: values.forum ?? '', role: values.role ?? '', notPrinted: values['not-printed'] };
          ids = call<{ guestIds: string[] }>('badges.select', filter).guestIds;
        }
        const badges = [];
        for (const guestId of ids) {
          const guest = call<Guest>('guests.get', { guestId });
          const { code } = call<{ code: string }>('codes.issue', { guestId, deviceKey: false });
          badges.push(await badgeData(guest, code, status.event, 'en', settings.logoDataUrl));
        }
        if (badges.length === 0)
          throw new CliError({ code: 'invalid_input', message: 'no guest matches these filters' });
        const fontRoot = path.resolve(import.meta.dirname, '../../node_modules/@fontsource');
        // One PDF has one label size: an explicit --template, else the event's setting for the first guest's role.
        const template =
          (values.template as BadgeSize | undefined) ?? settings.byRole[badges[0]!.role] ?? settings.defaultTemplate;
        if (values.sheet !== undefined && values.sheet !== 'a4') usage('--sheet takes a4');
        const rendered = await renderBadgesPdf(badges, template, fontRoot, values.sheet === 'a4' ? 'a4' : 'label');
        for (const guestId of ids) call('badges.recordPrint', { guestId, template, reason: values.reason ?? '' });
        fs.writeFileSync(target, rendered.pdf);
        out(
          { path: target, badges: badges.length, template, shrunk: rendered.shrunk, overflowing: rendered.overflowing },
          target,
        );
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
        const host = await startHttpHost({ dispatch, staticDir, port: Number(values.port ?? 5180) });
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
        : { code: error instanceof TypeError ? 'invalid_input' : 'internal', message: (error as Error).message };
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ error: failure })}\n`);
    else process.stderr.write(`lanyard: ${failure.code}: ${failure.message}\n`);
    process.exitCode = 1;
  },
);
