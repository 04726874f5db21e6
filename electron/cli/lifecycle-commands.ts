import fs from 'node:fs';
import path from 'node:path';
import type { BackupInfo, CloseCheck } from '../../shared/backup.ts';
import type { Device, EventInfo } from '../../shared/domain.ts';
import { translate } from '../../shared/i18n/index.ts';
import { refuseWhileAppRuns } from '../core/backup/app-lock.ts';
import { restoreBackup } from '../core/backup/restore.ts';
import type { Kiosk, KioskOptions } from '../core/kiosk.ts';
import { CliError, usage, type CliContext } from './context.ts';

/**
 * `lanyard event export | init --from | backup | restore | wipe`: the event's life beyond the door
 * (hand-off, backups, closing). Returns null for other commands (and for `event` subcommands other than export).
 */
export async function runLifecycleCommand(
  command: string,
  { values, args, call, out }: CliContext,
  kiosk: Kiosk,
  options: KioskOptions,
): Promise<number | null> {
  const passphrase = values.passphrase ?? '';
  switch (command) {
    case 'event': {
      if (args[0] !== 'export') return null;
      const target = path.resolve(values.out ?? usage('event export needs --out FILE'));
      if (passphrase.length < 8)
        usage(
          'event export needs --passphrase P (8+ characters): the file carries the event’s code secrets and a signing key, sealed with it',
        );
      const file = call<{ text: string; sealed: boolean; deviceKeyId: number | null; guests: number }>(
        'handoff.exportSetup',
        { passphrase },
      );
      // Owner-only: the roster's names and emails are in it (and, sealed, a signing key).
      fs.writeFileSync(target, file.text, { mode: 0o600 });
      fs.chmodSync(target, 0o600);
      out(
        { path: target, sealed: file.sealed, deviceKeyId: file.deviceKeyId, guests: file.guests },
        `event set-up for another kiosk → ${target} (${file.guests} guests; code secrets${file.deviceKeyId === null ? '' : ` and signing key ${file.deviceKeyId}`} sealed with the passphrase)`,
      );
      return 0;
    }
    case 'init': {
      if (values.from === undefined) return null;
      const source = path.resolve(values.from);
      let text: string;
      try {
        text = fs.readFileSync(source, 'utf8');
      } catch (error) {
        throw new CliError({ code: 'file_unreadable', message: `cannot read ${source}: ${(error as Error).message}` });
      }
      const outcome = call<{ event: EventInfo; guests: number; canSign: boolean }>('handoff.setupFromFile', {
        text,
        passphrase,
      });
      const { device } = call<{ device: unknown }>('app.status', {});
      out(
        { dataDir: options.dataDir, event: outcome.event, device, guests: outcome.guests, canSign: outcome.canSign },
        `Kiosk ready in ${options.dataDir}: event ${outcome.event.id}, ${outcome.guests} guests${outcome.canSign ? '' : ' (no signing key: badges printed here are refused at other doors)'}`,
      );
      return 0;
    }
    case 'backup': {
      const target = values.out ?? usage('backup needs --out FILE');
      if (kiosk.backups === null) return null;
      const info: BackupInfo = await kiosk.backups.backupTo(target);
      out(info, `backup (checked) → ${info.file}, ${info.bytes} bytes`);
      return 0;
    }
    case 'restore': {
      const file = args[0] ?? usage('restore needs a FILE');
      kiosk.close(); // the restore opens the kiosk itself, around the swap
      const outcome = await restoreBackup(options, file, values.force);
      out(
        outcome,
        `restored ${outcome.restoredFrom}: event ${outcome.eventId ?? '-'}, ${outcome.guests} guests, ${outcome.events} events${outcome.previous ? `; what was here before is kept in ${outcome.previous}` : ''}${outcome.synced === false ? '; NOT synced yet' : ''}`,
      );
      return 0;
    }
    case 'wipe': {
      if (!values.yes) usage('wipe deletes the event from this kiosk: give --yes');
      refuseWhileAppRuns(options.dataDir, 'closing the event');
      const check = call<CloseCheck>('event.closeCheck', {});
      // Said in the screen's language (read before the close deletes it): the kept hub folder is easily missed.
      const locale = call<{ device: Device | null }>('app.status', {}).device?.language ?? 'en';
      const closed = call<{ removedFiles: number; hubData: string }>('event.close', { force: values.force });
      const hubKept = closed.hubData === '' ? '' : `\n${translate(locale, 'close.hubKept', { dir: closed.hubData })}`;
      out(
        {
          wiped: true,
          removedFiles: closed.removedFiles,
          unsyncedDiscarded: values.force ? check.unsynced : 0,
          hubDataKept: closed.hubData,
        },
        `event ${check.eventId ?? '-'} closed on this kiosk: ${closed.removedFiles} files deleted${hubKept}`,
      );
      return 0;
    }
    default:
      return null;
  }
}
