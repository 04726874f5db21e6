import path from 'node:path';
import fs from 'node:fs';
import { badgeSizes, type BadgeSize } from '../../shared/badges/templates.ts';
import type { EventInfo, Guest } from '../../shared/domain.ts';
import { badgeData } from '../core/badges/badges.ts';
import { renderBadgesPdf } from '../core/badges/render-pdf.ts';
import { CliError, usage, type CliContext } from './context.ts';

/** `lanyard code | verify | revoke | codes | keys | badge | badges`. Returns null for other commands. */
export async function runBadgeCommand(
  command: string,
  { values, args, call, out }: CliContext,
): Promise<number | null> {
  switch (command) {
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
    case 'codes': {
      // The event's badge-code policy and code secret generations (docs/badge-codes.md).
      const [action, generation] = args;
      type Policy = {
        carryDetails: boolean;
        rosterDigits: number;
        walkInDigits: number;
        detailedDigits: number | null;
        rosterScanMs: number;
        detailedScanMs: number | null;
        secrets: Array<{ generation: number; status: string }>;
      };
      let policy: Policy;
      if (action === 'rotate-secret') policy = call<Policy>('codes.rotateSecret', {});
      else if (action === 'revoke-secret' || action === 'retire-secret') {
        const gen = Number(generation ?? usage(`codes ${action} needs a generation number`));
        const status = action === 'revoke-secret' ? 'revoked' : 'retired';
        policy = call<Policy>('codes.setSecretStatus', { generation: gen, status });
      } else if (action !== undefined) usage(`unknown codes action ${action}`);
      else if (values.details !== undefined) {
        if (values.details !== 'on' && values.details !== 'off') usage('--details takes on or off');
        policy = call<Policy>('codes.setPolicy', { carryDetails: values.details === 'on' });
      } else policy = call<Policy>('codes.policy', {});
      out(
        policy!,
        [
          `badge codes: ${policy!.carryDetails ? 'with name and organisation (long)' : 'short, no personal data'}`,
          `  roster ${policy!.rosterDigits} digits, walk-in ${policy!.walkInDigits} digits: ${policy!.rosterScanMs} ms at 10 ms/key`,
          policy!.detailedDigits === null
            ? ''
            : `  with name and organisation: ${policy!.detailedDigits} digits, ${policy!.detailedScanMs} ms at 10 ms/key`,
          `  secret generations: ${policy!.secrets.map((s) => `${s.generation} ${s.status}`).join(', ')}`,
        ]
          .filter((line) => line !== '')
          .join('\n'),
      );
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
      if (badges.length === 0) throw new CliError({ code: 'invalid_input', message: 'no guest matches these filters' });
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
    default:
      return null;
  }
}
