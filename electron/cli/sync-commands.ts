import { PublishResponseSchema, syncRoutes } from '../../shared/sync/protocol.ts';
import type { ConflictList, SyncReport, SyncStatus } from '../../shared/sync/status.ts';
import type { Kiosk } from '../core/kiosk.ts';
import { buildPackage } from '../core/sync/package.ts';
import { CliError, usage, type CliContext } from './context.ts';

function statusText(s: SyncStatus): string {
  if (!s.paired) return `not paired${s.lastError ? ` (last error: ${s.lastError.message})` : ''}`;
  const clock = s.clockWarning
    ? `\nWARNING: this kiosk's clock is ${Math.round((s.clockOffsetMs ?? 0) / 1000)} s off the server's`
    : '';
  const failed = s.lastError ? `\nlast error: ${s.lastError.code} — ${s.lastError.message}` : '';
  return `${s.state} — ${s.serverUrl} event ${s.eventId}; last sync ${s.lastSyncAt ?? 'never'}; ${s.pending} waiting, ${s.rejected} refused, ${s.openConflicts} open conflicts${clock}${failed}`;
}

/** `lanyard pair | sync | status | publish | conflicts`. Returns null for other commands. */
export async function runSyncCommand(
  command: string,
  { values, args, out, call }: CliContext,
  kiosk: Kiosk,
): Promise<number | null> {
  const sync = kiosk.sync;
  if (sync === null) return null;
  switch (command) {
    case 'pair': {
      const [url, code] = args;
      if (url === undefined || code === undefined) usage('pair needs URL CODE');
      const report = await sync.engine.pair(url, code);
      const status = sync.engine.status();
      out(
        { paired: true, eventId: status.eventId, serverUrl: status.serverUrl, ...report },
        `paired with ${url}: ${statusText(status)}`,
      );
      return 0;
    }
    case 'sync': {
      const report: SyncReport = await sync.engine.syncOnce();
      out(
        report,
        `pushed ${report.pushed}, pulled ${report.pulled}; ${report.duplicates} duplicate admissions, ${report.conflicts} forum conflicts`,
      );
      return 0;
    }
    case 'status': {
      const status = sync.engine.status();
      out(status, statusText(status));
      return 0;
    }
    case 'conflicts': {
      const list = call<ConflictList>('sync.conflicts', {});
      const lines = list.duplicates.map(
        (d) =>
          `${d.guestId} ${d.name}: ${d.checkins.map((c) => `${c.door} ${c.at}`).join(' | ')}${d.reviewed ? ' (reviewed)' : ''}`,
      );
      out(list, lines.length === 0 ? 'no duplicate admissions' : lines.join('\n'));
      return 0;
    }
    case 'publish': {
      const url = args[0] ?? usage('publish needs the server URL');
      const token = values['admin-token'] ?? usage('publish needs --admin-token');
      if (kiosk.db === null) return null;
      const response = await fetch(`${url.replace(/\/+$/, '')}${syncRoutes.publish}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(buildPackage(kiosk.db, kiosk.codes)),
      });
      const body = (await response.json()) as { error?: { code: string; message: string } };
      if (!response.ok) {
        throw new CliError({
          code: 'forbidden',
          message: `the server refused the event: ${body.error?.message ?? response.status}`,
        });
      }
      const published = PublishResponseSchema.parse(body);
      out(published, `published event ${published.eventId} (revision ${published.revision})`);
      return 0;
    }
    default:
      return null;
  }
}
